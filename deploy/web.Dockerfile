# The web page, served as static files: docker build -f deploy/web.Dockerfile -t iecmh-web .
FROM nginx:1.25-alpine
COPY web/static/ /usr/share/nginx/html/
EXPOSE 80
