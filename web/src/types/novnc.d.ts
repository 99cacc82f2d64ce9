declare module '@novnc/novnc' {
  /** The subset of noVNC's RFB class the console uses. */
  export default class RFB extends EventTarget {
    constructor(target: HTMLElement, url: string, options?: { credentials?: { password?: string; username?: string }; shared?: boolean })
    scaleViewport: boolean
    resizeSession: boolean
    clipViewport: boolean
    focusOnClick: boolean
    background: string
    disconnect(): void
    sendCtrlAltDel(): void
    sendCredentials(credentials: { password?: string }): void
    focus(): void
  }
}
