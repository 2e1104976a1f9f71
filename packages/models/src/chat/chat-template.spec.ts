import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, ModelFormatError } from '@rlgf/contracts';
import { renderChatTemplate } from './chat-template';

// The tokenizer configs of Qwen/Qwen2.5-0.5B-Instruct (ChatML) and meta-llama/Meta-Llama-3-8B-Instruct,
// their chat_template strings as the Hub ships them.
const config = (name: string) => JSON.parse(readFileSync(join(__dirname, '__fixtures__', `${name}-tokenizer_config.json`), 'utf8')) as Record<string, unknown>;
const qwen = config('qwen2.5-instruct');
const llama3 = config('llama3-instruct');

describe('renderChatTemplate', () => {
  // Expected strings derived by hand from each template's semantics, as transformers renders
  // them (jinja2 with trim_blocks and lstrip_blocks; `{%-`/`{{-` strip the whitespace before).
  it('renders Qwen2.5 ChatML: the default system turn when none is given, the generation prompt last', () => {
    // No system message: the template writes Qwen's default system turn, then each turn as
    // <|im_start|>role\ncontent<|im_end|>\n, then <|im_start|>assistant\n for the generation prompt.
    expect(renderChatTemplate(qwen, [{ role: 'user', content: 'Hello!' }], { addGenerationPrompt: true })).toBe(
      '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n' + '<|im_start|>user\nHello!<|im_end|>\n' + '<|im_start|>assistant\n',
    );
    // A system message replaces the default (and is not repeated by the loop: loop.first); no generation prompt.
    const conversation = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello.' },
      { role: 'user', content: 'Bye' },
    ];
    expect(renderChatTemplate(qwen, conversation)).toBe(
      '<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello.<|im_end|>\n<|im_start|>user\nBye<|im_end|>\n',
    );
  });

  it('renders Llama 3: bos_token before the first turn, contents trimmed, headers with two newlines', () => {
    // `message['content'] | trim` binds before `+`: only the content is trimmed.
    expect(renderChatTemplate(llama3, [{ role: 'user', content: '  Hello! \n' }], { addGenerationPrompt: true })).toBe(
      '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHello!<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
    );
    expect(
      renderChatTemplate(llama3, [
        { role: 'system', content: 'S' },
        { role: 'user', content: 'U' },
      ]),
    ).toBe('<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nS<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nU<|eot_id|>');
  });

  it('reads special tokens stored as AddedToken objects, named templates, raise_exception and strftime_now', () => {
    const template = "{% if messages[0]['role'] != 'user' %}{{ raise_exception('Conversation must start with user') }}{% endif %}{{ bos_token }}{{ strftime_now('%Y') }}";
    const named = { bos_token: { content: '<s>', lstrip: false }, chat_template: [{ name: 'tool_use', template: 'x' }, { name: 'default', template }] };
    expect(renderChatTemplate(named, [{ role: 'user', content: 'a' }])).toBe(`<s>${new Date().getFullYear()}`);
    expect(() => renderChatTemplate(named, [{ role: 'assistant', content: 'a' }])).toThrow(InvalidArgumentError);
    expect(() => renderChatTemplate(named, [{ role: 'assistant', content: 'a' }])).toThrow(/Conversation must start with user/);
  });

  it('fails in one line for a tokenizer without a template', () => {
    expect(() => renderChatTemplate({ eos_token: '</s>' }, [{ role: 'user', content: 'a' }])).toThrow(ModelFormatError);
    expect(() => renderChatTemplate({}, [{ role: 'user', content: 'a' }])).toThrow(/tokenizer_config.json: has no chat_template/);
  });
});
