"""Real OpenAI-compatible serving engines, spoken to over HTTP on 127.0.0.1."""
