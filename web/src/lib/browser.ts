/** browser wraps navigation away from the app so tests can observe it. */
export const browser = {
  assign(url: string) {
    window.location.assign(url)
  },
  open(url: string) {
    return window.open(url, '_blank', 'noopener,noreferrer')
  },
}
