import {
  ActivityIcon,
  AlertTriangleIcon,
  BadgeDollarSignIcon,
  BanIcon,
  BellIcon,
  CircleCheckIcon,
  CircleXIcon,
  DatabaseBackupIcon,
  ExternalLinkIcon,
  HardDriveDownloadIcon,
  KeyRoundIcon,
  LifeBuoyIcon,
  LogInIcon,
  type LucideIcon,
  MegaphoneIcon,
  MonitorIcon,
  NetworkIcon,
  PencilIcon,
  PlayIcon,
  PowerIcon,
  RotateCwIcon,
  ScalingIcon,
  ServerIcon,
  SettingsIcon,
  ShieldIcon,
  SquareIcon,
  TagIcon,
  TicketIcon,
  Trash2Icon,
  UserIcon,
} from 'lucide-react'
import type { ActivityKind } from '@/types/api'

type Wording = { label: string; icon: LucideIcon }

/**
 * activityWording names every activity kind the API sends (panel.ActivityKinds in Go, the
 * ActivityKind enum of the API document). Typed as a Record over the enum: a kind added in Go
 * without a label here fails the type check.
 */
export const activityWording: Record<ActivityKind, Wording> = {
  'server.rename': { label: 'Server renamed', icon: PencilIcon },
  'server.power': { label: 'Power action', icon: PowerIcon },
  'server.reinstall': { label: 'Reinstall started', icon: HardDriveDownloadIcon },
  'server.reset_password': { label: 'Root password reset', icon: KeyRoundIcon },
  'server.console': { label: 'Console opened', icon: MonitorIcon },
  'server.sso': { label: 'Opened in VirtFusion', icon: ExternalLinkIcon },
  'server.resize': { label: 'Plan changed', icon: ScalingIcon },
  'server.backup-plan': { label: 'Backup plan changed', icon: DatabaseBackupIcon },
  'server.ipv4-add': { label: 'IPv4 address added', icon: NetworkIcon },
  'server.ipv4-remove': { label: 'IPv4 address removed', icon: NetworkIcon },
  'server.alert.create': { label: 'Alert added', icon: BellIcon },
  'server.alert.update': { label: 'Alert changed', icon: BellIcon },
  'server.alert.delete': { label: 'Alert deleted', icon: BellIcon },
  'server.firewall': { label: 'Firewall changed', icon: ShieldIcon },
  'server.created': { label: 'Server created', icon: ServerIcon },
  'server.built': { label: 'Installation finished', icon: CircleCheckIcon },
  'server.build_failed': { label: 'Installation failed', icon: CircleXIcon },
  'server.suspended': { label: 'Server suspended', icon: BanIcon },
  'server.unsuspended': { label: 'Server unsuspended', icon: PlayIcon },
  'server.deleted': { label: 'Server deleted', icon: Trash2Icon },
  'server.power_changed': { label: 'Power changed in VirtFusion', icon: PowerIcon },
  'server.event': { label: 'VirtFusion event', icon: ActivityIcon },
  'auth.signin': { label: 'Signed in', icon: LogInIcon },
  'account.erase': { label: 'Account erased', icon: Trash2Icon },
  'ssh_key.create': { label: 'SSH key added', icon: KeyRoundIcon },
  'ssh_key.delete': { label: 'SSH key deleted', icon: KeyRoundIcon },
  'api_token.create': { label: 'API token created', icon: KeyRoundIcon },
  'api_token.revoke': { label: 'API token revoked', icon: KeyRoundIcon },
  'billing.dunning.low-balance': { label: 'Low balance warning sent', icon: AlertTriangleIcon },
  'billing.dunning.suspended': { label: 'Servers suspended for a negative balance', icon: BanIcon },
  'billing.dunning.unsuspended': { label: 'Servers unsuspended after a top-up', icon: PlayIcon },
  'billing.dunning.deletion-scheduled': { label: 'Server deletion scheduled', icon: AlertTriangleIcon },
  'billing.dunning.deleted': { label: 'Deletion notice sent', icon: Trash2Icon },
  'billing.server_deleted_for_non_payment': { label: 'Server deleted for non-payment', icon: Trash2Icon },
  'ticket.reply': { label: 'Support replied', icon: LifeBuoyIcon },
  'ticket.note': { label: 'Support note added', icon: LifeBuoyIcon },
  'ticket.change': { label: 'Ticket updated', icon: TicketIcon },
  'admin.server.power': { label: 'Power action by support', icon: PowerIcon },
  'admin.server.suspend': { label: 'Server suspended by support', icon: BanIcon },
  'admin.server.unsuspend': { label: 'Server unsuspended by support', icon: PlayIcon },
  'admin.server.delete': { label: 'Server deleted by support', icon: Trash2Icon },
  'admin.server.transfer': { label: 'Server transferred', icon: ServerIcon },
  'admin.user.block': { label: 'Account blocked', icon: BanIcon },
  'admin.user.unblock': { label: 'Account unblocked', icon: ShieldIcon },
  'admin.user.role': { label: 'Role changed', icon: UserIcon },
  'admin.user.link': { label: 'VirtFusion account linked', icon: UserIcon },
  'admin.user.password-reset': { label: 'Password reset mail sent', icon: KeyRoundIcon },
  'admin.user.delete': { label: 'Account deleted by support', icon: Trash2Icon },
  'admin.user.adjust': { label: 'Balance adjusted', icon: BadgeDollarSignIcon },
  'coupon.create': { label: 'Promo code created', icon: TagIcon },
  'coupon.update': { label: 'Promo code changed', icon: TagIcon },
  'status.message.set': { label: 'Status message posted', icon: MegaphoneIcon },
  'status.message.clear': { label: 'Status message cleared', icon: MegaphoneIcon },
  'settings.update': { label: 'Settings changed', icon: SettingsIcon },
  'topup.refund': { label: 'Top-up refunded', icon: BadgeDollarSignIcon },
  'package.price.delete': { label: 'Plan price removed', icon: TagIcon },
  'package.visibility': { label: 'Plan visibility changed', icon: TagIcon },
  'admin.firewall-presets': { label: 'Firewall presets changed', icon: ShieldIcon },
  'billing.rerun': { label: 'Billing hour re-run', icon: RotateCwIcon },
  'users.reindex': { label: 'User search index rebuilt', icon: UserIcon },
  'webhook.reprocess': { label: 'Webhook re-processed', icon: RotateCwIcon },
}

const powerWords: Record<string, { label: string; icon: LucideIcon }> = {
  boot: { label: 'Started', icon: PlayIcon },
  shutdown: { label: 'Shut down', icon: SquareIcon },
  restart: { label: 'Restarted', icon: RotateCwIcon },
  poweroff: { label: 'Powered off', icon: PowerIcon },
}

/** The line people read for one activity entry: a label, an icon and what is left of the detail. */
export function describeActivity(e: { action: string; detail: string }): Wording & { detail: string } {
  const known = (activityWording as Record<string, Wording | undefined>)[e.action]
  // A power entry's detail is the action, optionally followed by ": <why it failed>".
  if (e.action === 'server.power' || e.action === 'server.power_changed' || e.action === 'admin.server.power') {
    const [verb, ...why] = e.detail.split(': ')
    const p = powerWords[verb]
    if (p) {
      const by = e.action === 'server.power' ? '' : e.action === 'admin.server.power' ? ' by support' : ' in VirtFusion'
      return { label: p.label + by, icon: p.icon, detail: why.join(': ') }
    }
  }
  if (known) return { ...known, detail: e.detail }
  // Entries written before the vocabulary existed: "server.boot" → "Server boot".
  const words = e.action.replace(/[._-]+/g, ' ').trim()
  return { label: words.charAt(0).toUpperCase() + words.slice(1), icon: ActivityIcon, detail: e.detail }
}
