"""What a build keeps for the next: the cache, the records it holds, and what each output read."""
