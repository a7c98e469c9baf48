"""gunicorn settings; ``gunicorn wsgi:app`` reads this file from the working folder."""


def post_worker_init(worker):
    """Start the worker's PDF renderer now, so that its first PDF need not wait for it."""
    from tracker.exports import pdf

    pdf.start_renderer()
