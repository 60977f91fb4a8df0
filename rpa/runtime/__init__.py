"""What drives browsers: Chromium, sessions, the request flow, the runner and its workers,
retries, recordings, logs, and the one boundary where Playwright's errors become the bot's."""
