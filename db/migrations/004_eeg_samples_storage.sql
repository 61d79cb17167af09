-- EEG sample blocks are float32 noise to a compressor: pglz spends CPU on every row and saves
-- almost nothing. Store them out of line without compression (TimescaleDB's columnar
-- compression of old chunks still applies).
ALTER TABLE eeg_chunks ALTER COLUMN samples SET STORAGE EXTERNAL;
