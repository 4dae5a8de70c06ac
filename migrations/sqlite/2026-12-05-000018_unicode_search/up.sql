-- Search folds accented letters with fold(), a function each connection registers from the
-- service's own code (domain::directory::fold_text): nothing is stored.
SELECT 1;
