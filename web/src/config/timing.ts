/** Poll intervals in milliseconds. Tests lower them; nothing else should write here. */
export const timing = {
  serversPollMs: 10_000,
  buildPollMs: 3_000,
  taskPollMs: 1_500,
  metricsPollMs: 5_000,
  metricsWindow: 60,
}
