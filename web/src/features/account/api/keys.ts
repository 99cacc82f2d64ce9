export const accountKeys = {
  all: ['account'] as const,
  sshKeys: ['account', 'ssh-keys'] as const,
  sessions: ['account', 'sessions'] as const,
  activity: ['account', 'activity'] as const,
  mfa: ['account', 'mfa'] as const,
  tokens: ['account', 'tokens'] as const,
}
