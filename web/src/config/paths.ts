/** paths is every route of the app in one place. */
export const paths = {
  login: '/login',
  register: '/register',
  forgotPassword: '/forgot-password',
  status: '/status',
  dashboard: '/',
  servers: '/servers',
  server: (id: number | string, tab?: string) => `/servers/${id}${tab ? `/${tab}` : ''}`,
  deploy: '/deploy',
  billing: '/billing',
  account: '/account',
  admin: '/admin',
  adminUser: (id: string) => `/admin/users/${encodeURIComponent(id)}`,
  adminPackages: '/admin/packages',
  adminStatus: '/admin/status',
  auth0: (returnTo: string) => `/api/auth/authorize?returnTo=${encodeURIComponent(returnTo)}`,
}
