"""The commands besides `build`: serve, new, import, suggest."""
