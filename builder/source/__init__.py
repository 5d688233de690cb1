"""Content files -> compiled records: find the files, read and validate them, and
parse, link and render their Markdown."""
