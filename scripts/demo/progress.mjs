/**
 * Phase progress: on a terminal one live line (spinner, phase, detail) that each phase replaces; piped, plain
 * lines (`[demo] phase: detail`) so logs and CI output stay readable.
 */
export function createProgress(stream = process.stdout) {
  const live = Boolean(stream.isTTY);
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let phase = '';
  let detail = '';
  let frame = 0;
  let started = Date.now();
  let timer;
  const draw = () => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    stream.write(`\r\x1b[2K${frames[frame++ % frames.length]} ${phase}${detail ? ` — ${detail}` : ''} (${seconds}s)`);
  };
  return {
    phase(name) {
      this.finish();
      phase = name;
      detail = '';
      started = Date.now();
      if (live) {
        draw();
        timer = setInterval(draw, 100);
      } else stream.write(`[demo] ${name}\n`);
    },
    detail(text) {
      detail = text; // piped: printed once, when the phase ends
    },
    finish() {
      if (!phase) return;
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (live) {
        clearInterval(timer);
        stream.write(`\r\x1b[2K✔ ${phase}${detail ? ` — ${detail}` : ''} (${seconds}s)\n`);
      } else stream.write(`[demo]   done${detail ? `: ${detail}` : ''} (${seconds}s)\n`);
      phase = '';
    },
  };
}
