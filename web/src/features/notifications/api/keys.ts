export const notificationKeys = {
  all: ['notifications'] as const,
  prefs: ['notifications', 'prefs'] as const,
  mail: ['notifications', 'mail'] as const,
  failed: ['notifications', 'failed'] as const,
}
