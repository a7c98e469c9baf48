"""A meeting's agenda or minutes as Markdown text to paste into an e-mail."""

from __future__ import annotations

from tracker.exports.data import Labels, MeetingDocument, Minutes, Point, TaskLine


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _header(doc: MeetingDocument) -> list[str]:
    labels = doc.labels
    lines = [f"# {labels.document}: {doc.title}", ""]
    if doc.draft or doc.cancelled:
        lines += [f"**{labels.cancelled if doc.cancelled else labels.draft}**", ""]
    lines += [f"_{doc.copy_text}_", ""]
    lines.append(f"{labels.date}: {doc.date_text}, {doc.time_text}  ")
    if doc.video_link and doc.minutes is None:
        lines.append(f"{labels.video}: {doc.video_link}  ")
    if doc.minutes is not None:
        lines.append(f"{labels.present}: {', '.join(doc.present) or '–'}  ")
        lines.append(f"{labels.absent}: {', '.join(doc.absent) or '–'}  ")
        persons = ", ".join(doc.minutes.persons) or "–"
        lines.append(f"{doc.minutes.labels.persons}: {_one_line(persons)}  ")
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
    lines = []
    if point.note.strip():
        lines += [f"{point.note_label}: {point.note.strip()}", ""]
    if point.decision.strip():
        lines += [f"**{point.decision_label}:** {point.decision.strip()}", ""]
    if point.tasks:
        lines += [_task(task, labels) for task in point.tasks] + [""]
    return lines


def _point(point: Point, doc: MeetingDocument, level: str = "###") -> list[str]:
    lines = [f"{level} {point.label} {_one_line(point.title)}", ""]
    details = _details(point, doc.labels)
    if details:
        lines += [details, ""]
    if doc.is_minutes:
        lines += _outcome(point, doc.labels)
    return lines


def _summary(minutes: Minutes, labels: Labels) -> list[str]:
    """Decisions, then tasks by owner: what the first page of the PDF holds."""
    texts = minutes.labels
    lines = [f"## {texts.decisions}", ""]
    for decision in minutes.decisions:
        title = _one_line(decision.title)
        lines.append(f"- {decision.label} {title}: **{_one_line(decision.text)}**")
    lines += ([""] if minutes.decisions else [texts.no_decisions, ""]) + [f"## {texts.tasks}", ""]
    for group in minutes.tasks:
        lines += [f"**{_one_line(group.owner)}**", ""]
        for task in group.tasks:
            parts = [
                _one_line(task.title),
                task.point,
                task.due_text and f"{labels.due}: {task.due_text}",
            ]
            done = f" ({labels.done})" if task.done else ""
            lines.append("- " + " – ".join(part for part in parts if part) + done)
        lines.append("")
    return lines + ([] if minutes.tasks else [texts.no_tasks, ""])


def _minutes(doc: MeetingDocument, minutes: Minutes) -> list[str]:
    """The summary, the discussed TOPs in agenda order, the compact list "vertagt"."""
    lines = _summary(minutes, doc.labels) + [f"## {minutes.labels.discussed}", ""]
    for section in doc.sections:
        if section.heading:
            lines += [f"### {_one_line(section.heading)}", ""]
        for point in section.points:
            lines += _point(point, doc, level="####")
    if not doc.sections:
        lines += [minutes.labels.nothing_discussed, ""]
    lines += [f"## {minutes.labels.deferred}", ""]
    for line in minutes.deferred:
        lines.append(f"- {line.label} {_one_line(line.title)} – _{line.reason}_")
    return lines + ["" if minutes.deferred else "–", ""]


def render(doc: MeetingDocument) -> str:
    """Write the agenda or minutes as Markdown: TOP headings, decisions and tasks."""
    lines = _header(doc) + [""]
    if doc.minutes is not None:
        return "\n".join(lines + _minutes(doc, doc.minutes)).rstrip() + "\n"
    for section in doc.sections:
        if section.heading:
            lines += [f"## {_one_line(section.heading)}", ""]
        for point in section.points:
            lines += _point(point, doc)
    if not doc.sections:
        lines += [doc.labels.empty, ""]
    return "\n".join(lines).rstrip() + "\n"
