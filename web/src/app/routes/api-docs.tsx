import { ApiReferenceReact } from '@scalar/api-reference-react'
import '@scalar/api-reference-react/style.css'

/**
 * ApiDocsRoute is the public reference of the customer API, rendered by Scalar from the
 * document the panel serves (/api/openapi.json). Everything is bundled: no fonts, proxy,
 * telemetry, AI agent, MCP or developer toolbar from Scalar's hosts (the site's CSP would
 * refuse them anyway).
 */
export default function ApiDocsRoute() {
  return (
    <main aria-label="API reference" className="min-h-dvh bg-background">
      <ApiReferenceReact
        configuration={{
          url: '/api/openapi.json',
          withDefaultFonts: false,
          telemetry: false,
          mcp: { disabled: true },
          agent: { disabled: true },
          showDeveloperTools: 'never',
          hideDownloadButton: false,
          metaData: { title: 'vfpanel API reference' },
        }}
      />
    </main>
  )
}
