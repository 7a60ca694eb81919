"""The request bodies of ``graphrag serve``'s endpoints (validated by pydantic: a wrong field is a 422)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class AskBody(BaseModel):
    question: str = Field(min_length=1)
    k: int = Field(5, ge=1, le=50)
    llm: str | None = Field(None, description="none, extractive, local, openai, ...; default: the server's")
    stream: bool = False
    full: bool = Field(
        False, description="also the whole record under 'record' (every retriever's list, structured paths)"
    )


class RetrieveBody(BaseModel):
    question: str = Field(min_length=1)
    k: int = Field(10, ge=1, le=100)


class CypherBody(BaseModel):
    query: str = Field(min_length=1)
    params: dict[str, Any] = Field(default_factory=dict)


class Record(BaseModel):
    title: str = Field(min_length=1)
    text: str = Field(min_length=1)
    acl: str | list[str] | None = None


class IngestBody(BaseModel):
    documents: list[Record] = Field(min_length=1)
    acl: str | None = None
    mask_pii: bool = False


__all__ = ["AskBody", "CypherBody", "IngestBody", "Record", "RetrieveBody"]
