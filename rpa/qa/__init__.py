"""QA: replay of recorded flows against fake, configured or no sites, and their diff."""
