export async function resolve (specifier, context, next) {
  if (specifier === 'webrtc-polyfill') return { url: new URL('./real-webrtc.mjs', import.meta.url).href, shortCircuit: true }
  return next(specifier, context)
}
