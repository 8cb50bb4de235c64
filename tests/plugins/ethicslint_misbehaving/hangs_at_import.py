"""Never finishes importing: loading must be bounded."""

while True:
    try:
        sum(range(1000))
    except Exception:
        pass
