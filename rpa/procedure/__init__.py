"""The call-center procedure as pure code: rows, rules, catalogues (passed in), texts, messages.

No file, no environment variable, no browser: everything here is tested without any of them.
"""
