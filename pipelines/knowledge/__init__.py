"""What Sensorium knows beyond the conversation: the user's documents (parsed, chunked, embedded and
searched, with citations)."""
from __future__ import annotations

from .documents import SUPPORTED_SUFFIXES, Chunk, Page, ParsedDocument, chunk, is_document, parse
from .index import DocumentIndex, DocumentInfo

__all__ = ["SUPPORTED_SUFFIXES", "Chunk", "Page", "ParsedDocument", "chunk", "is_document", "parse",
           "DocumentIndex", "DocumentInfo"]
