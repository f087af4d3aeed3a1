// Reads a streamed NDJSON response line by line: the progress of a run the server measures.
export async function readNdjson(response: Response, onMessage: (message: Record<string, unknown>) => void) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines.filter(Boolean)) onMessage(JSON.parse(line));
  }
}
