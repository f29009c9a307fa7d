<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
  <context>
    <name>errors</name>
  </context>
  <context>
    <name>settings</name>
    <message>
      <source>Adapt tone</source>
      <extracomment>chat.adapt_tone (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Allow downloading models from the Hugging Face hub.</source>
      <extracomment>models.allow_downloads</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Allow downloads</source>
      <extracomment>models.allow_downloads (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Answer more gently when the user sounds upset.</source>
      <extracomment>chat.adapt_tone</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Ask when unsure</source>
      <extracomment>general.ask_when_unsure (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Automatic</source>
      <extracomment>chat.runtime = auto</extracomment>
      <translation>自动</translation>
    </message>
    <message>
      <source>Barge in</source>
      <extracomment>voice.barge_in (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Best of</source>
      <extracomment>imagegen.best_of (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>CPU threads</source>
      <extracomment>device.cpu_threads (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>CPU threads for inference (0 = all cores).</source>
      <extracomment>device.cpu_threads</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Catalog profile</source>
      <extracomment>models.profile (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Catalog profile: auto chooses gpu when CUDA is present, else cpu-offline.</source>
      <extracomment>models.profile</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Classifier-free guidance scale (unset = the model's default: 0 for SD-Turbo, 7 for SD 1.5).</source>
      <extracomment>imagegen.guidance</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Context tokens</source>
      <extracomment>chat.context_tokens (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Context window in tokens (0 = the model's own).</source>
      <extracomment>chat.context_tokens</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Dark</source>
      <extracomment>general.theme = dark</extracomment>
      <translation>深色</translation>
    </message>
    <message>
      <source>Default</source>
      <extracomment>imagegen.scheduler = default</extracomment>
      <translation>默认</translation>
    </message>
    <message>
      <source>Denoising steps (unset = the model's default: 2 for SD-Turbo, 25 for SD 1.5).</source>
      <extracomment>imagegen.steps</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Download timeout (s)</source>
      <extracomment>models.download_timeout_s (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Echo cancellation</source>
      <extracomment>voice.echo_cancellation (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>End silence (ms)</source>
      <extracomment>voice.end_silence_ms (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Engine</source>
      <extracomment>voice.tts_engine (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>English</source>
      <extracomment>general.language = en</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>File beam size</source>
      <extracomment>voice.file_beam_size (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>GPU memory budget (GB)</source>
      <extracomment>device.gpu_memory_budget_gb (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>GPU memory the models may use together (0 = all).</source>
      <extracomment>device.gpu_memory_budget_gb</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Generate this many and keep them ranked by CLIP prompt similarity.</source>
      <extracomment>imagegen.best_of</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Guidance</source>
      <extracomment>imagegen.guidance (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>HF cache folder</source>
      <extracomment>models.hf_cache_dir (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Hands-free</source>
      <extracomment>voice.mode = hands-free</extracomment>
      <translation>免提</translation>
    </message>
    <message>
      <source>Height</source>
      <extracomment>imagegen.height (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>History enabled</source>
      <extracomment>general.history_enabled (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>How much an input image is changed (img2img).</source>
      <extracomment>imagegen.strength</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>How the microphone is used.</source>
      <extracomment>voice.mode</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Hub endpoint</source>
      <extracomment>models.hub_endpoint (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Hugging Face cache to look in ('' = the default ~/.cache/huggingface/hub).</source>
      <extracomment>models.hf_cache_dir</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Hugging Face hub address used for downloads.</source>
      <extracomment>models.hub_endpoint</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Idle unload minutes</source>
      <extracomment>device.idle_unload_minutes (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Ignore silence and noise (voice activity detection).</source>
      <extracomment>voice.vad</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Image generation</source>
      <extracomment>models.imagegen (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Image generation model: a catalog name or a diffusers folder.</source>
      <extracomment>models.imagegen</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Image height in pixels, rounded to a multiple of 8 (unset = the model's size).</source>
      <extracomment>imagegen.height</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Image questions</source>
      <extracomment>models.vlm (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Image understanding</source>
      <extracomment>models.vision (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Image understanding model: a catalog name or an open_clip local-dir folder.</source>
      <extracomment>models.vision</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Image width in pixels, rounded to a multiple of 8 (unset = the model's size, 512 for the catalog's models).</source>
      <extracomment>imagegen.width</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Interface language: system follows the computer's locale (Chinese when it is Chinese, else English).</source>
      <extracomment>general.language</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Keep conversations in the local history database.</source>
      <extracomment>general.history_enabled</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Language</source>
      <extracomment>voice.language (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Language model</source>
      <extracomment>models.chat (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Language model: a catalog name, a transformers folder or a .gguf file.</source>
      <extracomment>models.chat</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Light</source>
      <extracomment>general.theme = light</extracomment>
      <translation>浅色</translation>
    </message>
    <message>
      <source>Longest reply in tokens.</source>
      <extracomment>chat.max_new_tokens</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Max new tokens</source>
      <extracomment>chat.max_new_tokens (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Microphone</source>
      <extracomment>voice.input_device (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Mode</source>
      <extracomment>voice.mode (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Model</source>
      <extracomment>servers.vlm.model (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Negative prompt</source>
      <extracomment>imagegen.negative_prompt (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Nucleus sampling threshold (unset = the model's recommended value).</source>
      <extracomment>chat.top_p</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Numeric precision: auto is fp16/bf16 on a GPU and fp32 on the CPU.</source>
      <extracomment>device.dtype</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Pickle weight files (.pt, .pth, .bin, .ckpt) you trust to load.</source>
      <extracomment>models.trusted_files</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Precision</source>
      <extracomment>device.dtype (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Preview every</source>
      <extracomment>imagegen.preview_every (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Push to talk</source>
      <extracomment>voice.mode = push-to-talk</extracomment>
      <translation>按键说话</translation>
    </message>
    <message>
      <source>Read replies aloud when the turn was typed.</source>
      <extracomment>general.speak_replies</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Record the time of each word.</source>
      <extracomment>voice.word_timestamps</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Remove the assistant's own voice from the microphone, so that replies played on speakers do not interrupt themselves (on whenever barge-in is on; switch it off with a headset).</source>
      <extracomment>voice.echo_cancellation</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Replies come from a server</source>
      <extracomment>servers.chat.use_server (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Retries</source>
      <extracomment>servers.vlm.retries (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Run models on</source>
      <extracomment>device.device (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Run on a server</source>
      <extracomment>servers.vlm.use_server (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Run the model's safety checker when it has one.</source>
      <extracomment>imagegen.safety_checker</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Run this role on the server below instead of on this computer.</source>
      <extracomment>servers.vlm.use_server</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Runtime</source>
      <extracomment>chat.runtime (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Safety checker</source>
      <extracomment>imagegen.safety_checker (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Sampler.</source>
      <extracomment>imagegen.scheduler</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Sampling temperature (0 = greedy, deterministic; unset = the model's recommended value, e.g. 0.2 for SmolLM2, 0.7 for Qwen2.5).</source>
      <extracomment>chat.temperature</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Scheduler</source>
      <extracomment>imagegen.scheduler (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Seconds to wait for the server (to connect, and between pieces of its answer) before giving up with a message.</source>
      <extracomment>servers.vlm.timeout_s</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Seconds without data before a download gives up.</source>
      <extracomment>models.download_timeout_s</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Server address</source>
      <extracomment>servers.vlm.base_url (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Show a live preview every N steps (0 = off).</source>
      <extracomment>imagegen.preview_every</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Silence that ends an utterance in hands-free mode when the words so far do not tell (200 ms after a finished sentence, this plus 400 ms when you trail off).</source>
      <extracomment>voice.end_silence_ms</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Speak replies</source>
      <extracomment>general.speak_replies (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Speaker</source>
      <extracomment>voice.output_device (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Speaking over a reply interrupts it (after about a quarter second of your words; a cough or the assistant's own voice does not).</source>
      <extracomment>voice.barge_in</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Speech language ('' = detect).</source>
      <extracomment>voice.language</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Speech recognition</source>
      <extracomment>models.asr (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Speech recognition model: a catalog name or a CTranslate2 folder ('' = profile default).</source>
      <extracomment>models.asr</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Speech synthesis</source>
      <extracomment>models.tts (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Speech synthesis engine.</source>
      <extracomment>voice.tts_engine</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Speech synthesis model: a catalog name, a Piper .onnx or a Coqui folder.</source>
      <extracomment>models.tts</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Steps</source>
      <extracomment>imagegen.steps (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Strength</source>
      <extracomment>imagegen.strength (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>System</source>
      <extracomment>general.language = system</extracomment>
      <translation>跟随系统</translation>
    </message>
    <message>
      <source>System prompt</source>
      <extracomment>chat.system_prompt (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Temperature</source>
      <extracomment>chat.temperature (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Text embedding model: a catalog name or a sentence-transformers folder.</source>
      <extracomment>models.embed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Text embeddings</source>
      <extracomment>models.embed (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The microphone Sensorium listens with (empty: the system default).</source>
      <extracomment>voice.input_device</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The model to ask the server for (Test connection lists the ones it offers).</source>
      <extracomment>servers.vlm.model</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The server's OpenAI-compatible address, e.g. http://gpu-box:8000/v1.</source>
      <extracomment>servers.vlm.base_url</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The speaker replies are played on (empty: the system default).</source>
      <extracomment>voice.output_device</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>The system prompt.</source>
      <extracomment>chat.system_prompt</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Theme</source>
      <extracomment>general.theme (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Timeout (s)</source>
      <extracomment>servers.vlm.timeout_s (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Times to try again, with a growing pause, when a request fails before the server began answering (refused connection, 429, 502-504); a reply that has started is never sent twice.</source>
      <extracomment>servers.vlm.retries</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Top p</source>
      <extracomment>chat.top_p (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Trusted files</source>
      <extracomment>models.trusted_files (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Turn beam size</source>
      <extracomment>voice.turn_beam_size (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Unload a model after this many idle minutes (0 = never).</source>
      <extracomment>device.idle_unload_minutes</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Vision-language model for image questions: a catalog name or a transformers image-text-to-text folder (safetensors).</source>
      <extracomment>models.vlm</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Voice</source>
      <extracomment>voice.voice (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Voice (engine specific; '' = the model's default).</source>
      <extracomment>voice.voice</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Voice activity detection</source>
      <extracomment>voice.vad (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>What runs a local model: auto uses llama.cpp for a .gguf file on the CPU (fast, no converted copy) and transformers otherwise.</source>
      <extracomment>chat.runtime</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>What the image should not show.</source>
      <extracomment>imagegen.negative_prompt</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>When a request could mean two things (draw it, or talk about it), ask which one instead of guessing.</source>
      <extracomment>general.ask_when_unsure</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Where models run: auto picks cuda, then mps, then cpu.</source>
      <extracomment>device.device</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Whisper beam size for audio files (transcribe, an attached recording): 5, faster-whisper's default, is chosen for accuracy.</source>
      <extracomment>voice.file_beam_size</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Whisper beam size for spoken turns: 1 (greedy) is chosen for latency, which counts against the voice-to-voice target.</source>
      <extracomment>voice.turn_beam_size</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Width</source>
      <extracomment>imagegen.width (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Window theme.</source>
      <extracomment>general.theme</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Word timestamps</source>
      <extracomment>voice.word_timestamps (label)</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>bfloat16</source>
      <extracomment>device.dtype = bfloat16</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>coqui</source>
      <extracomment>voice.tts_engine = coqui</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>cpu</source>
      <extracomment>device.device = cpu</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>cpu-offline</source>
      <extracomment>models.profile = cpu-offline</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>cuda</source>
      <extracomment>device.device = cuda</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>ddim</source>
      <extracomment>imagegen.scheduler = ddim</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>dpm++</source>
      <extracomment>imagegen.scheduler = dpm++</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>euler</source>
      <extracomment>imagegen.scheduler = euler</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>euler_a</source>
      <extracomment>imagegen.scheduler = euler_a</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>float16</source>
      <extracomment>device.dtype = float16</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>float32</source>
      <extracomment>device.dtype = float32</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>gpu</source>
      <extracomment>models.profile = gpu</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>llama.cpp</source>
      <extracomment>chat.runtime = llama.cpp</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>lms</source>
      <extracomment>imagegen.scheduler = lms</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>mps</source>
      <extracomment>device.device = mps</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>piper</source>
      <extracomment>voice.tts_engine = piper</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>pndm</source>
      <extracomment>imagegen.scheduler = pndm</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>transformers</source>
      <extracomment>chat.runtime = transformers</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>简体中文</source>
      <extracomment>general.language = zh_CN</extracomment>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>catalog</name>
    <message>
      <source>An NVIDIA GPU was found (its memory could not be read), so these are the standard GPU models.</source>
      <extracomment>first-run reason</extracomment>
      <translation>检测到 NVIDIA GPU（无法读取其显存），因此推荐标准 GPU 模型。</translation>
    </message>
    <message>
      <source>Apache License 2.0</source>
      <extracomment>licence Apache-2.0</extracomment>
      <translation>Apache 许可证 2.0</translation>
    </message>
    <message>
      <source>CC0 1.0 (public domain)</source>
      <extracomment>licence CC0-1.0</extracomment>
      <translation>CC0 1.0（公有领域）</translation>
    </message>
    <message>
      <source>Cancelled: what came is kept, and Download resumes from there.</source>
      <extracomment>download cancelled</extracomment>
      <translation>已取消：已下载的部分会保留，再次点击“下载”将从断点继续。</translation>
    </message>
    <message>
      <source>CreativeML OpenRAIL-M</source>
      <extracomment>licence creativeml-openrail-m</extracomment>
      <translation>CreativeML OpenRAIL-M</translation>
    </message>
    <message>
      <source>MIT License</source>
      <extracomment>licence MIT</extracomment>
      <translation>MIT 许可证</translation>
    </message>
    <message>
      <source>No NVIDIA GPU was found, so these are the small models that run well on the processor.</source>
      <extracomment>first-run reason</extracomment>
      <translation>未检测到 NVIDIA GPU，因此推荐能在处理器上流畅运行的小模型。</translation>
    </message>
    <message>
      <source>Not started: the download was cancelled.</source>
      <extracomment>download cancelled</extracomment>
      <translation>未开始：下载已取消。</translation>
    </message>
    <message>
      <source>OpenCLIP ViT-B-32 trained on LAION-2B</source>
      <extracomment>model clip-vit-b-32</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>OpenCLIP ViT-L-14 trained on LAION-2B</source>
      <extracomment>model clip-vit-l-14</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Piper en_US joe (medium), ONNX</source>
      <extracomment>model piper-en-us-joe</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Piper zh_CN huayan (medium, Mandarin Chinese), ONNX</source>
      <extracomment>model piper-zh-cn-huayan</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Qwen Research License</source>
      <extracomment>licence qwen-research</extracomment>
      <translation>Qwen 研究许可证</translation>
    </message>
    <message>
      <source>Qwen2.5-1.5B-Instruct, safetensors</source>
      <extracomment>model qwen2.5-1.5b-instruct</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Qwen2.5-3B-Instruct, safetensors</source>
      <extracomment>model qwen2.5-3b-instruct</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Qwen2.5-VL-3B-Instruct, bf16 safetensors (reads text in pictures, answers in Chinese too)</source>
      <extracomment>model qwen2.5-vl-3b-instruct</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Qwen2.5-VL-7B-Instruct, bf16 safetensors</source>
      <extracomment>model qwen2.5-vl-7b-instruct</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>SD-Turbo (512x512 in 1-4 steps), diffusers fp16</source>
      <extracomment>model sd-turbo</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Settings &gt; Device is set to the CPU, so these are the small models that run well on the processor.</source>
      <extracomment>first-run reason</extracomment>
      <translation>“设置 &gt; 设备”设为 CPU，因此推荐能在处理器上流畅运行的小模型。</translation>
    </message>
    <message>
      <source>SmolLM2-135M-Instruct, GGUF Q4_1 (dequantized once and cached)</source>
      <extracomment>model smollm2-135m-instruct</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>SmolVLM-256M-Instruct (Idefics3: SigLIP 93M + SmolLM2-135M), bf16 safetensors</source>
      <extracomment>model smolvlm-256m-instruct</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>SmolVLM-500M-Instruct (Idefics3: SigLIP 93M + SmolLM2-360M), bf16 safetensors</source>
      <extracomment>model smolvlm-500m-instruct</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Stability AI Non-Commercial Research Community License</source>
      <extracomment>licence sai-nc-community</extracomment>
      <translation>Stability AI 非商业研究社区许可证</translation>
    </message>
    <message>
      <source>Stable Diffusion 1.5 with its safety checker, diffusers fp16</source>
      <extracomment>model sd-1.5</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Whisper large-v3-turbo (multilingual), CTranslate2</source>
      <extracomment>model whisper-large-v3-turbo</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Whisper small (multilingual), CTranslate2</source>
      <extracomment>model whisper-small</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Whisper tiny.en (English), CTranslate2 int8-ready</source>
      <extracomment>model whisper-tiny.en</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>commercial use is allowed, but the licence forbids a list of harmful uses, also for anyone you share the model or its pictures with</source>
      <extracomment>licence creativeml-openrail-m</extracomment>
      <translation>允许商业使用，但该许可证禁止一系列有害用途，这一限制同样适用于你分享模型或其图片的任何人</translation>
    </message>
    <message>
      <source>image generation</source>
      <extracomment>role imagegen</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>image questions</source>
      <extracomment>role vlm</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>image understanding</source>
      <extracomment>role vision</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>language model</source>
      <extracomment>role chat</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>non-commercial</source>
      <extracomment>licence qwen-research</extracomment>
      <translation>非商业</translation>
    </message>
    <message>
      <source>not stated here: see the model card</source>
      <extracomment>licence see model card</extracomment>
      <translation>此处未注明：请参见模型卡片</translation>
    </message>
    <message>
      <source>research and non-commercial use only; commercial use needs a licence from Stability AI</source>
      <extracomment>licence sai-nc-community</extracomment>
      <translation>仅限研究和非商业用途；商业使用需获得 Stability AI 的许可</translation>
    </message>
    <message>
      <source>research and non-commercial use only; commercial use needs the licensor's permission</source>
      <extracomment>licence qwen-research</extracomment>
      <translation>仅限研究和非商业用途；商业使用需获得许可方的许可</translation>
    </message>
    <message>
      <source>sentence-transformers all-MiniLM-L6-v2 (intent recognition)</source>
      <extracomment>model all-minilm-l6-v2</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>speech recognition</source>
      <extracomment>role asr</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>speech synthesis</source>
      <extracomment>role tts</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>text embeddings</source>
      <extracomment>role embed</extracomment>
      <translation type="unfinished" />
    </message>
    <message>
      <source>use restrictions</source>
      <extracomment>licence creativeml-openrail-m</extracomment>
      <translation>使用限制</translation>
    </message>
  </context>
</TS>
