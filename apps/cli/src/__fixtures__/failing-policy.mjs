// A policy module for `longshot-fake-llm --policy`: every chat call fails with HTTP 503, as an
// endpoint that is down behind a healthy load balancer would (GET /v1/models still answers).
export default () => ({ fault: "server-error", status: 503, message: "the model is overloaded" });
