"""The site -> files: the plan of the pages, their views and templates, the generated
files, and writing them."""
