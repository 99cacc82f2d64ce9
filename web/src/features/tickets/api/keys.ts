/** ticketKeys are the query keys of the tickets feature. */
export const ticketKeys = {
  all: ['tickets'] as const,
  mine: (status: string) => ['tickets', 'mine', status] as const,
  unread: ['tickets', 'unread'] as const,
  thread: (id: string) => ['tickets', 'thread', id] as const,
  queue: (filters: Record<string, string>) => ['tickets', 'queue', filters] as const,
  staffThread: (id: string) => ['tickets', 'staff', id] as const,
  context: (id: string) => ['tickets', 'context', id] as const,
  canned: ['tickets', 'canned'] as const,
}
