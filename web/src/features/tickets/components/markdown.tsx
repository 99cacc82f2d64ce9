import type { ReactNode } from 'react'

/**
 * Markdown renders the small Markdown subset of ticket messages as React elements:
 * paragraphs, line breaks, lists, fenced code, `code`, **bold**, *italic* and
 * http(s)/mailto links. It never builds an HTML string, so raw HTML in a
 * message shows as text and nothing in it can run.
 */
export function Markdown({ text }: { text: string }) {
  const blocks: ReactNode[] = []
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  let i = 0
  while (i < lines.length) {
    const line = lines[i]!
    if (line.startsWith('```')) {
      const code: string[] = []
      i++
      while (i < lines.length && !lines[i]!.startsWith('```')) code.push(lines[i++]!)
      i++
      blocks.push(
        <pre key={blocks.length} className="overflow-x-auto rounded-md bg-muted/60 p-3 font-mono text-xs">
          <code>{code.join('\n')}</code>
        </pre>,
      )
      continue
    }
    const list = /^\s*([-*]|\d+\.)\s+/
    if (list.test(line)) {
      const ordered = /^\s*\d+\./.test(line)
      const items: string[] = []
      while (i < lines.length && list.test(lines[i]!)) items.push(lines[i++]!.replace(list, ''))
      const Tag = ordered ? 'ol' : 'ul'
      blocks.push(
        <Tag key={blocks.length} className={ordered ? 'list-decimal pl-5' : 'list-disc pl-5'}>
          {items.map((it, n) => (
            <li key={n}>{inline(it)}</li>
          ))}
        </Tag>,
      )
      continue
    }
    if (line.trim() === '') {
      i++
      continue
    }
    const para: string[] = []
    while (i < lines.length && lines[i]!.trim() !== '' && !lines[i]!.startsWith('```') && !list.test(lines[i]!)) para.push(lines[i++]!)
    blocks.push(
      <p key={blocks.length}>
        {para.map((p, n) => (
          <span key={n}>
            {n > 0 && <br />}
            {inline(p)}
          </span>
        ))}
      </p>,
    )
  }
  return <div className="grid gap-2 text-sm leading-relaxed break-words">{blocks}</div>
}

const token = /(`[^`]+`|\*\*[^*]+\*\*|\*[^*\s][^*]*\*|\[[^\]]+\]\([^)\s]+\))/g

/** safeHref allows only web and mail links. */
function safeHref(href: string) {
  return /^(https?:\/\/|mailto:)/i.test(href) ? href : undefined
}

function inline(s: string): ReactNode[] {
  return s.split(token).map((part, n) => {
    if (part.startsWith('`') && part.endsWith('`') && part.length > 2) {
      return (
        <code key={n} className="rounded bg-muted/60 px-1 font-mono text-xs">
          {part.slice(1, -1)}
        </code>
      )
    }
    if (part.startsWith('**') && part.endsWith('**') && part.length > 4) return <strong key={n}>{part.slice(2, -2)}</strong>
    if (part.startsWith('*') && part.endsWith('*') && part.length > 2) return <em key={n}>{part.slice(1, -1)}</em>
    const link = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(part)
    if (link) {
      const href = safeHref(link[2]!)
      return href ? (
        <a key={n} href={href} target="_blank" rel="noopener noreferrer nofollow" className="text-primary underline underline-offset-2">
          {link[1]}
        </a>
      ) : (
        <span key={n}>{part}</span>
      )
    }
    return part
  })
}
