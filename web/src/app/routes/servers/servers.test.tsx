import { describe, expect, it } from 'vitest'
import { within } from '@testing-library/react'
import { renderApp, screen } from '@/testing/test-utils'

describe('servers list', () => {
  it('filters by search, status and location', async () => {
    const { user } = renderApp('/servers')
    const list = await screen.findByRole('list', { name: 'Servers' })
    expect(within(list).getAllByRole('link')).toHaveLength(2)

    await user.selectOptions(screen.getByLabelText('Status'), 'stopped')
    expect(within(screen.getByRole('list', { name: 'Servers' })).getAllByRole('link')).toHaveLength(1)
    expect(screen.getByRole('link', { name: /db-1/ })).toBeInTheDocument()

    await user.selectOptions(screen.getByLabelText('Status'), '')
    await user.selectOptions(screen.getByLabelText('Location'), 'London')
    expect(screen.getByRole('link', { name: /web-1/ })).toBeInTheDocument()
    expect(screen.queryByRole('link', { name: /db-1/ })).not.toBeInTheDocument()

    await user.type(screen.getByLabelText('Search'), 'nothing-like-this')
    expect(screen.getByText('No servers match')).toBeInTheDocument()
  })
})
