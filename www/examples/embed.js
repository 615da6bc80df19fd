// The example host page's script: one widget through the module API, and the optional
// listener that fits the iframe to its widget. Nothing here is needed by the iframe itself,
// nor by the <elbo-lab-widget> element, which only needs elbo-lab.js imported.
import { mount } from '../elbo-lab.js';

// Fit each elbo-lab iframe to the height its page reports (ignore other origins and messages).
addEventListener('message', (e) => {
  if (e.origin !== window.location.origin || e.data?.type !== 'elbo-lab:height') return;
  for (const frame of document.querySelectorAll('iframe[data-elbo-lab]')) {
    if (frame.contentWindow === e.source) frame.style.height = `${e.data.height}px`;
  }
});

await mount(document.getElementById('mounted-kl'), 'kl-discrete', { unit: 'nats' });
// The <elbo-lab-widget> below it mounts by itself (importing elbo-lab.js defined it).
await document.getElementById('element-fit').ready;
document.documentElement.dataset.ready = 'true';
