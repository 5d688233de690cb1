"""Compiled records -> the site: the content records, the indexes that pages read,
and the checks across files."""
