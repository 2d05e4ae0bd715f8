# One replica of DL Math Lab: python -m deploy.replicas puts several behind nginx.
#   docker build -t dl-math-lab . && docker run -p 8501:8501 dl-math-lab
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# The pinned requirements first, so a code change does not reinstall them.
COPY requirements.txt .
RUN python -m pip install -r requirements.txt

COPY app.py ./
COPY pages pages
COPY labs labs
COPY charts charts
COPY ui ui
COPY dlcore dlcore
COPY .streamlit .streamlit

# Never run the app as root.
RUN useradd --create-home --uid 10001 lab
USER lab

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=40s --retries=3 \
    CMD python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"

CMD ["streamlit", "run", "app.py", "--server.port=8501", "--server.address=0.0.0.0"]
