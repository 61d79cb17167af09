// Integration tests start real brokers, databases and server processes: allow them time.
jest.setTimeout(180_000);
