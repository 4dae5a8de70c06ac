DROP TABLE member_blocks;
DROP TABLE offers;
