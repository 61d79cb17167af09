-- Researchers correct a session's labels: markers they add are kept apart from what the device
-- sent, so a recording's original events stay recognisable.
ALTER TABLE markers ADD COLUMN source text NOT NULL DEFAULT 'device' CHECK (source IN ('device', 'manual'));
