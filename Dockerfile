# The browser libraries the map serves from our own origin (Makefile's static/vendor target), built apart.
FROM node:20-slim AS vendor
WORKDIR /build
COPY package.json package-lock.json Makefile ./
RUN apt-get update && apt-get install -y --no-install-recommends make && rm -rf /var/lib/apt/lists/* \
    && make static/vendor/.installed

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
RUN pip install --no-cache-dir .
COPY . .
COPY --from=vendor /build/static/vendor static/vendor
RUN useradd --create-home tracker && mkdir -p var /archive && chown tracker var /archive
USER tracker
EXPOSE 8000
CMD ["gunicorn", "tracker.wsgi:application", "--bind", "0.0.0.0:8000"]
