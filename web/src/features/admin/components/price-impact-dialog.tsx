import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from '@/components/ui/alert-dialog'

/** PriceImpactDialog confirms a price change after stating its impact (issue 20, item 10). */
export function PriceImpactDialog({ title, impact, onConfirm, onCancel }: { title: string; impact?: string; onConfirm: () => void; onCancel: () => void }) {
  return (
    <AlertDialog open={impact !== undefined} onOpenChange={(open) => !open && onCancel()}>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>{title}</AlertDialogTitle>
          <AlertDialogDescription>{impact}</AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Keep the current price</AlertDialogCancel>
          <AlertDialogAction onClick={onConfirm}>Save the new price</AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  )
}

/** addonImpact states what an add-on price change does: servers that have it keep their price (billing copies it). */
export function addonImpact(what: string, hourlyBefore: number | undefined, hourlyAfter: number, money: (minor: number) => string) {
  const next = `${money(hourlyAfter * 730)} a month`
  const change = hourlyBefore === undefined ? `New ${what} cost ${next}.` : `New ${what} cost ${next} instead of ${money(hourlyBefore * 730)}.`
  return `Servers that already have ${what} keep the price they were ordered at: revenue changes by ${money(0)} a month now. ${change}`
}
