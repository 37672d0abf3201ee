"""Browser tests: the book in JupyterLab, driven by Playwright in Debian's Chromium."""
