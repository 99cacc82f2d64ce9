import * as React from 'react'
import * as RadioGroupPrimitive from '@radix-ui/react-radio-group'
import { cn } from '@/lib/utils'

const RadioGroup = React.forwardRef<
  React.ElementRef<typeof RadioGroupPrimitive.Root>,
  React.ComponentPropsWithoutRef<typeof RadioGroupPrimitive.Root>
>(({ className, ...props }, ref) => (
  <RadioGroupPrimitive.Root ref={ref} className={cn('grid gap-3', className)} {...props} />
))
RadioGroup.displayName = 'RadioGroup'

/** RadioCard is a whole selectable card (location, plan, OS) that behaves as one radio button. */
const RadioCard = React.forwardRef<
  React.ElementRef<typeof RadioGroupPrimitive.Item>,
  React.ComponentPropsWithoutRef<typeof RadioGroupPrimitive.Item>
>(({ className, children, ...props }, ref) => (
  <RadioGroupPrimitive.Item
    ref={ref}
    className={cn(
      'glass group relative flex w-full cursor-pointer flex-col items-start gap-1 rounded-xl border p-4 text-left transition-all outline-none hover:border-primary/50 focus-visible:ring-[3px] focus-visible:ring-ring/50 disabled:cursor-not-allowed disabled:opacity-50',
      'data-[state=checked]:border-primary data-[state=checked]:bg-primary/10 data-[state=checked]:shadow-lg data-[state=checked]:shadow-primary/10',
      className,
    )}
    {...props}
  >
    {children}
    <span
      aria-hidden="true"
      className="absolute top-3 right-3 size-4 rounded-full border border-input group-data-[state=checked]:border-[5px] group-data-[state=checked]:border-primary"
    />
  </RadioGroupPrimitive.Item>
))
RadioCard.displayName = 'RadioCard'

export { RadioGroup, RadioCard }
