/* A tiny static HTTP server for pods of the node tier (no image can be pulled here, so images are made locally).
 *   httpd [PORT]       answers every request with 200 and "$MESSAGE <hostname>\n" (MESSAGE defaults to "hello");
 *                      /healthz answers 200 "ok" (the readiness probe); one log line per request on stdout.
 *   httpd echo ARGS... prints ARGS and exits: something for `kubectl exec` to run in an image with one file. */
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void stop(int sig) { (void)sig; _exit(0); }

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "echo") == 0) {
    for (int i = 2; i < argc; i++) printf("%s%s", argv[i], i + 1 < argc ? " " : "\n");
    return 0;
  }
  struct sigaction sa = {0};
  sa.sa_handler = stop;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
  int port = argc > 1 ? atoi(argv[1]) : 8080;
  const char *msg = getenv("MESSAGE") ? getenv("MESSAGE") : "hello";
  char host[256] = "";
  gethostname(host, sizeof host - 1);
  int s = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_ANY);
  if (bind(s, (struct sockaddr *)&a, sizeof a) || listen(s, 64)) {
    perror("bind/listen");
    return 1;
  }
  printf("listening on %d\n", port);
  fflush(stdout);
  for (;;) {
    int c = accept(s, NULL, NULL);
    if (c < 0) continue;
    char req[2048];
    ssize_t n = read(c, req, sizeof req - 1);
    req[n > 0 ? n : 0] = 0;
    char path[512] = "/";
    sscanf(req, "%*s %511s", path);
    char body[1024];
    int health = strcmp(path, "/healthz") == 0;
    int blen = health ? snprintf(body, sizeof body, "ok\n") : snprintf(body, sizeof body, "%s %s\n", msg, host);
    char out[1400];
    int olen = snprintf(out, sizeof out,
                        "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
                        blen, body);
    ssize_t w = write(c, out, olen);
    (void)w;
    close(c);
    printf("GET %s\n", path);
    fflush(stdout);
  }
}
