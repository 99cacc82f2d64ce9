/** serverKeys are the cache keys of the servers feature; mutations invalidate by prefix. */
export const serverKeys = {
  all: ['servers'] as const,
  list: () => ['servers', 'list'] as const,
  detail: (id: number) => ['servers', 'detail', id] as const,
  task: (id: number, taskId: string) => ['servers', 'detail', id, 'task', taskId] as const,
  templates: (id: number) => ['servers', 'detail', id, 'templates'] as const,
  traffic: (id: number) => ['servers', 'detail', id, 'traffic'] as const,
  metrics: (id: number) => ['servers', 'detail', id, 'metrics'] as const,
  metricsHistory: (id: number, range: string) => ['servers', 'detail', id, 'metrics', 'history', range] as const,
  backups: (id: number) => ['servers', 'detail', id, 'backups'] as const,
  alerts: (id: number) => ['servers', 'detail', id, 'alerts'] as const,
}
