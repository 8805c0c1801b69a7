"""The audit trail: who exported or changed what."""

from __future__ import annotations

from datetime import UTC, datetime

from consult.database import write_transaction
from consult.tables import AuditEvent


async def record(
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: int,
    detail: str = "",
    is_export: bool = False,
) -> None:
    async with write_transaction():
        await AuditEvent.insert(
            AuditEvent(
                actor=actor_id,
                action=action,
                object_type=object_type,
                object_id=object_id,
                detail=detail[:200],
                at=datetime.now(UTC),
                is_export=is_export,
            )
        )
