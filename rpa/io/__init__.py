"""What touches files and mail: spreadsheets in and out, catalogue files, the journal, the
mailer, the report. No browser."""
