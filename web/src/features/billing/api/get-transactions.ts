import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query'
import { api } from '@/lib/api-client'
import type { Page, Transaction, TransactionType } from '@/types/api'
import { billingKeys } from './get-balance'

export interface TransactionFilter {
  type?: TransactionType | ''
  from?: string
  to?: string
}

export function getTransactions(f: TransactionFilter, cursor?: string, limit = 25) {
  return api.get<Page<Transaction>>('/api/billing/transactions', {
    // group=day: each server's hourly charges are one row per day (the cursor is then a date).
    params: { type: f.type, from: f.from, to: f.to, cursor, limit, group: 'day' },
  })
}

export const transactionsQueryOptions = (f: TransactionFilter) =>
  infiniteQueryOptions({
    queryKey: billingKeys.transactions(f),
    queryFn: ({ pageParam }) => getTransactions(f, pageParam || undefined),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor || undefined,
    placeholderData: keepPreviousData,
  })

/** useTransactions pages through the ledger with the server's cursor. */
export function useTransactions(f: TransactionFilter) {
  return useInfiniteQuery(transactionsQueryOptions(f))
}
