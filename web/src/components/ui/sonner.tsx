import { Toaster as Sonner, type ToasterProps } from 'sonner'
import { useTheme } from '@/hooks/use-theme'

function Toaster(props: ToasterProps) {
  const { theme } = useTheme()
  return (
    <Sonner
      theme={theme}
      richColors
      closeButton
      position="bottom-right"
      toastOptions={{ classNames: { toast: 'backdrop-blur-xl' } }}
      {...props}
    />
  )
}

export { Toaster }
