-- 004: a story's change hash is now xxHash (XXH64) over the same fields
-- instead of FNV-1a, which read one byte at a time and was 7% of a cold
-- refresh's CPU. The Go side of this migration recomputes every stored hash,
-- so the next refresh does not take every story for changed.
SELECT 1;
