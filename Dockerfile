FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=govit.settings.prod
WORKDIR /app
COPY requirements/ requirements/
RUN pip install --no-cache-dir -r requirements/base.in -c requirements/dev.lock
COPY . .
RUN SECRET_KEY=build ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput \
    && useradd --system govit && mkdir -p /app/media && chown govit /app/media
USER govit
EXPOSE 8000
CMD ["gunicorn", "govit.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]
