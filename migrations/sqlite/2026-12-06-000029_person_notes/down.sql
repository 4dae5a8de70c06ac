DROP INDEX person_notes_written_by;
DROP INDEX person_notes_person;
DROP TABLE person_notes;
