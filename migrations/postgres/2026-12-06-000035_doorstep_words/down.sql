DROP TABLE doorstep_words;
