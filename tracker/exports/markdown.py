"""A meeting's agenda or minutes as Markdown text to paste into an e-mail."""

from __future__ import annotations

from tracker.exports.data import Labels, MeetingDocument, Point, TaskLine


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _header(doc: MeetingDocument) -> list[str]:
    labels = doc.labels
    lines = [f"# {labels.document}: {doc.title}", ""]
    if doc.draft or doc.cancelled:
        lines += [f"**{labels.cancelled if doc.cancelled else labels.draft}**", ""]
    lines.append(f"{labels.date}: {doc.date_text}, {doc.time_text}  ")
    if doc.video_link:
        lines.append(f"{labels.video}: {doc.video_link}  ")
    if doc.is_minutes:
        lines.append(f"{labels.present}: {', '.join(doc.present) or '–'}  ")
        lines.append(f"{labels.absent}: {', '.join(doc.absent) or '–'}  ")
    return lines


def _details(point: Point, labels: Labels) -> str:
    parts = [f"{labels.company}: {_one_line(point.company)}"] if point.company else []
    parts += point.facts
    if point.stale:
        parts.append(f"**{labels.stale}**")
    return " · ".join(parts)


def _task(task: TaskLine, labels: Labels) -> str:
    line = f"- {labels.task}: {_one_line(task.title)} – {labels.owner}: {task.owner}"
    if task.due_text:
        line += f" – {labels.due}: {task.due_text}"
    return line + (f" ({labels.done})" if task.done else "")


def _outcome(point: Point, labels: Labels) -> list[str]:
    state = labels.discussed if point.discussed else labels.not_discussed
    lines = [] if point.standing else [f"_{state}_", ""]
    if point.note.strip():
        lines += [f"{point.note_label}: {point.note.strip()}", ""]
    if point.decision.strip():
        lines += [f"**{point.decision_label}:** {point.decision.strip()}", ""]
    if point.tasks:
        lines += [_task(task, labels) for task in point.tasks] + [""]
    return lines


def _point(point: Point, doc: MeetingDocument) -> list[str]:
    lines = [f"### {point.label} {_one_line(point.title)}", ""]
    details = _details(point, doc.labels)
    if details:
        lines += [details, ""]
    if doc.is_minutes:
        lines += _outcome(point, doc.labels)
    return lines


def render(doc: MeetingDocument) -> str:
    """Write the agenda or minutes as Markdown: TOP headings, decisions and tasks."""
    lines = _header(doc) + [""]
    for section in doc.sections:
        if section.heading:
            lines += [f"## {_one_line(section.heading)}", ""]
        for point in section.points:
            lines += _point(point, doc)
    if not doc.sections:
        lines += [doc.labels.empty, ""]
    return "\n".join(lines).rstrip() + "\n"
