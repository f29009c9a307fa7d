<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>App</name>
    <message>
        <source>settings: {problem}</source>
        <translation>设置：{problem}</translation>
    </message>
    <message>
        <source>the history could not be opened ({problem}); this session is not saved</source>
        <translation>无法打开历史记录（{problem}），本次会话不会保存</translation>
    </message>
</context>
<context>
    <name>AttachmentChip</name>
    <message>
        <source>Remove {name}</source>
        <translation>移除 {name}</translation>
    </message>
</context>
<context>
    <name>Bubble</name>
    <message>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <source>chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>looked at the picture</source>
        <translation>看了图片</translation>
    </message>
    <message>
        <source>drew a picture</source>
        <translation>画了一张图</translation>
    </message>
    <message>
        <source>edited the picture</source>
        <translation>修改了图片</translation>
    </message>
    <message>
        <source>searched pictures</source>
        <translation>搜索了图片</translation>
    </message>
    <message>
        <source>transcribed</source>
        <translation>转写了音频</translation>
    </message>
    <message>
        <source>answered from your documents</source>
        <translation>根据你的文档回答</translation>
    </message>
    <message>
        <source>Your message</source>
        <translation>你的消息</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>回复</translation>
    </message>
    <message>
        <source>Message text</source>
        <translation>消息内容</translation>
    </message>
    <message>
        <source>Copy the reply</source>
        <translation>复制回复</translation>
    </message>
    <message>
        <source>Play the spoken reply</source>
        <translation>播放语音回复</translation>
    </message>
    <message>
        <source>Regenerate (Ctrl+R)</source>
        <translation>重新生成 (Ctrl+R)</translation>
    </message>
    <message>
        <source>Good reply</source>
        <translation>回复很好</translation>
    </message>
    <message>
        <source>Bad reply</source>
        <translation>回复不好</translation>
    </message>
    <message>
        <source>Add a comment about this reply (optional), then press Enter</source>
        <translation>为这条回复添加评论（可选），然后按 Enter</translation>
    </message>
    <message>
        <source>Rating comment</source>
        <translation>评价评论</translation>
    </message>
    <message>
        <source>Edit message (send it again, changed, in a copy of this conversation)</source>
        <translation>编辑消息（修改后在此对话的副本中重新发送）</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <source>Could not draw the picture.</source>
        <translation>无法画出这张图片。</translation>
    </message>
    <message>
        <source>asks what you meant</source>
        <translation>在确认你的意思</translation>
    </message>
    <message>
        <source>understood as “{reading}”</source>
        <translation>理解为“{reading}”</translation>
    </message>
    <message>
        <source>{reason} ({percent} sure)</source>
        <translation>{reason}（把握 {percent}）</translation>
    </message>
    <message>
        <source>you meant “{reading}”</source>
        <translation>你的意思是“{reading}”</translation>
    </message>
    <message>
        <source>waiting for the current reply (Esc stops both)</source>
        <translation>正在等待当前回复（按 Esc 两个都停止）</translation>
    </message>
    <message>
        <source>drawing…</source>
        <translation>正在画图…</translation>
    </message>
    <message>
        <source>writing…</source>
        <translation>正在输入…</translation>
    </message>
    <message>
        <source>thinking…</source>
        <translation>正在思考…</translation>
    </message>
    <message>
        <source>What the image model saw: {verdict}</source>
        <translation>图像模型看到的内容：{verdict}</translation>
    </message>
    <message>
        <source>What the image model saw</source>
        <translation>图像模型看到的内容</translation>
    </message>
    <message>
        <source>The reply stopped here: {error}</source>
        <translation>回复在此中断：{error}</translation>
    </message>
    <message>
        <source>You cut in here: the rest was not said, and is not remembered.</source>
        <translation>你在这里打断了：后面的内容没有说出，也不会被记住。</translation>
    </message>
    <message>
        <source>This reply failed.</source>
        <translation>这条回复失败了。</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} 秒</translation>
    </message>
    <message>
        <source>{name}: {ms} ms</source>
        <translation>{name}：{ms} 毫秒</translation>
    </message>
    <message>
        <source>Sources: {sources} (select the reply to open them)</source>
        <translation>来源：{sources}（选中这条回复即可打开）</translation>
    </message>
</context>
<context>
    <name>CitationViewer</name>
    <message>
        <source>Document text</source>
        <translation>文档正文</translation>
    </message>
    <message>
        <source>Open in default app</source>
        <translation>用默认应用打开</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Reading the document…</source>
        <translation>正在读取文档…</translation>
    </message>
    <message>
        <source>The highlighted passage is the one the reply cited.</source>
        <translation>高亮的段落就是回复所引用的段落。</translation>
    </message>
    <message>
        <source>The passage is no longer in the file as it was indexed: add the document again to index its new text.</source>
        <translation>文件中已找不到编入索引时的这段文字：请重新添加该文档，为新内容建立索引。</translation>
    </message>
    <message>
        <source>The document could not be read ({problem}): open it in the default app instead.</source>
        <translation>无法读取该文档（{problem}）：请改用默认应用打开。</translation>
    </message>
</context>
<context>
    <name>Citations</name>
    <message>
        <source>page {page}</source>
        <extracomment>How much of a passage's beginning is emphasised in the list (where it starts to matter). The viewer's highlight of the cited passage, readable under each theme's text colour.</extracomment>
        <translation>第 {page} 页</translation>
    </message>
    <message>
        <source>line {line}</source>
        <translation>第 {line} 行</translation>
    </message>
    <message>
        <source>Open {file} at this passage</source>
        <translation>在此段落处打开 {file}</translation>
    </message>
    <message>
        <source>Source {label}</source>
        <translation>来源 {label}</translation>
    </message>
</context>
<context>
    <name>ConversationView</name>
    <message>
        <source>Conversation</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>What can I help with?</source>
        <translation>有什么可以帮你？</translation>
    </message>
    <message>
        <source>Type a message, hold Ctrl+Space to talk, drop a picture to ask about it,
or switch on the brush to draw something new. Everything stays on this computer.</source>
        <translation>输入消息，按住 Ctrl+Space 说话，拖入图片来提问，
或打开画笔画些新东西。所有内容都只保存在这台电脑上。</translation>
    </message>
    <message>
        <source>no reason was given</source>
        <translation>未说明原因</translation>
    </message>
    <message>
        <source>The reply failed: {error}</source>
        <translation>回复失败：{error}</translation>
    </message>
    <message>
        <source>The reply was stopped.</source>
        <translation>回复已停止。</translation>
    </message>
    <message>
        <source> or </source>
        <translation>或</translation>
    </message>
    <message>
        <source>{label} (Alt+{n})</source>
        <translation>{label} (Alt+{n})</translation>
    </message>
    <message>
        <source>Did you mean: {choices}?</source>
        <translation>你的意思是：{choices}？</translation>
    </message>
    <message>
        <source>Picture ready: {prompt}.</source>
        <translation>图片已完成：{prompt}。</translation>
    </message>
    <message>
        <source>Picture ready.</source>
        <translation>图片已完成。</translation>
    </message>
    <message>
        <source>Reply: {text}</source>
        <translation>回复：{text}</translation>
    </message>
    <message>
        <source>The reply is ready.</source>
        <translation>回复已完成。</translation>
    </message>
</context>
<context>
    <name>Conversations</name>
    <message>
        <source>that conversation could not be opened ({problem})</source>
        <translation>无法打开该对话（{problem}）</translation>
    </message>
    <message>
        <source>the conversation could not be renamed ({problem})</source>
        <translation>无法重命名对话（{problem}）</translation>
    </message>
    <message>
        <source>Deleted “{title}”.</source>
        <translation>已删除“{title}”。</translation>
    </message>
    <message>
        <source>Deleted “the conversation”.</source>
        <translation>已删除对话。</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>the conversation could not be deleted ({problem})</source>
        <translation>无法删除对话（{problem}）</translation>
    </message>
    <message>
        <source>search failed ({problem})</source>
        <translation>搜索失败（{problem}）</translation>
    </message>
    <message>
        <source>open a conversation to export it</source>
        <translation>请先打开一个对话再导出</translation>
    </message>
    <message>
        <source>Export conversation</source>
        <translation>导出对话</translation>
    </message>
    <message>
        <source>Exported to {path}.</source>
        <translation>已导出到 {path}。</translation>
    </message>
    <message>
        <source>export failed ({problem})</source>
        <translation>导出失败（{problem}）</translation>
    </message>
    <message>
        <source>that message is not saved yet: wait for the reply, then edit it</source>
        <translation>这条消息还没有保存：请等回复完成后再编辑</translation>
    </message>
    <message>
        <source>the conversation could not be branched ({problem})</source>
        <translation>无法创建对话分支（{problem}）</translation>
    </message>
    <message>
        <source>All conversations, pictures, memories, documents and learned adapters were deleted.</source>
        <translation>所有对话、图片、记忆、文档索引和学到的适配器都已删除。</translation>
    </message>
    <message>
        <source>your data could not be deleted ({problem})</source>
        <translation>无法删除你的数据（{problem}）</translation>
    </message>
</context>
<context>
    <name>CorrectionButton</name>
    <message>
        <source>Not what I meant ▾</source>
        <translation>不是我的意思 ▾</translation>
    </message>
    <message>
        <source>Not what I meant</source>
        <translation>不是我的意思</translation>
    </message>
    <message>
        <source>Pick what you meant: the last reply is made again that way, and Sensorium learns it</source>
        <translation>选择你的本意：上一条回复会按此重新生成，Sensorium 也会记住</translation>
    </message>
    <message>
        <source>What you meant</source>
        <translation>你的本意</translation>
    </message>
    <message>
        <source>I meant:</source>
        <translation>我的意思是：</translation>
    </message>
</context>
<context>
    <name>DetailsPanel</name>
    <message>
        <source>Chat</source>
        <translation>聊天</translation>
    </message>
    <message>
        <source>Question about a picture</source>
        <translation>关于图片的提问</translation>
    </message>
    <message>
        <source>Draw a picture</source>
        <translation>画一张图</translation>
    </message>
    <message>
        <source>Edit a picture</source>
        <translation>编辑图片</translation>
    </message>
    <message>
        <source>Search pictures</source>
        <translation>搜索图片</translation>
    </message>
    <message>
        <source>Transcribe</source>
        <translation>转写</translation>
    </message>
    <message>
        <source>Answer from documents</source>
        <translation>根据文档回答</translation>
    </message>
    <message>
        <source>Nothing to do</source>
        <translation>无需操作</translation>
    </message>
    <message>
        <source>positive</source>
        <extracomment>The sentiment labels of pipelines.sentiment.label_for.</extracomment>
        <translation>积极</translation>
    </message>
    <message>
        <source>negative</source>
        <translation>消极</translation>
    </message>
    <message>
        <source>neutral</source>
        <translation>中性</translation>
    </message>
    <message>
        <source>writing…</source>
        <extracomment>A message's status as the row shows it ("" for a complete one; an unknown one as stored).</extracomment>
        <translation>正在撰写…</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>total</source>
        <extracomment>The engine's timings (their key without "_ms", "_" as a space) and the roles of "Models".</extracomment>
        <translation>总计</translation>
    </message>
    <message>
        <source>route</source>
        <translation>路由</translation>
    </message>
    <message>
        <source>transcript</source>
        <translation>转写</translation>
    </message>
    <message>
        <source>first token</source>
        <translation>首个词元</translation>
    </message>
    <message>
        <source>llm first token</source>
        <translation>语言模型首个词元</translation>
    </message>
    <message>
        <source>generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>first audio</source>
        <translation>首段音频</translation>
    </message>
    <message>
        <source>tts first</source>
        <translation>首段语音合成</translation>
    </message>
    <message>
        <source>vision</source>
        <translation>图像理解</translation>
    </message>
    <message>
        <source>vlm</source>
        <translation>图像问答</translation>
    </message>
    <message>
        <source>imagegen</source>
        <translation>图像生成</translation>
    </message>
    <message>
        <source>model load</source>
        <translation>模型加载</translation>
    </message>
    <message>
        <source>asr</source>
        <translation>语音识别</translation>
    </message>
    <message>
        <source>chat</source>
        <translation>语言模型</translation>
    </message>
    <message>
        <source>tts</source>
        <translation>语音合成</translation>
    </message>
    <message>
        <source>width</source>
        <extracomment>The picture's settings, by their parameter names.</extracomment>
        <translation>宽度</translation>
    </message>
    <message>
        <source>height</source>
        <translation>高度</translation>
    </message>
    <message>
        <source>steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>guidance</source>
        <translation>引导系数</translation>
    </message>
    <message>
        <source>scheduler</source>
        <translation>调度器</translation>
    </message>
    <message>
        <source>strength</source>
        <translation>强度</translation>
    </message>
    <message>
        <source>negative_prompt</source>
        <translation>反向提示词</translation>
    </message>
    <message>
        <source>From</source>
        <extracomment>The rows' names (the keys of ``DetailsPanel.values`` stay these English ones).</extracomment>
        <translation>来自</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Intent</source>
        <translation>意图</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Mood</source>
        <translation>情绪</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Voice latency</source>
        <translation>语音延迟</translation>
    </message>
    <message>
        <source>Timings</source>
        <translation>耗时</translation>
    </message>
    <message>
        <source>Picture</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>Rating</source>
        <translation>评价</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Memories used</source>
        <translation>用到的记忆</translation>
    </message>
    <message>
        <source>end of speech → reply heard</source>
        <translation>说完 → 听到回复</translation>
    </message>
    <message>
        <source>end of speech → transcript</source>
        <translation>说完 → 转写完成</translation>
    </message>
    <message>
        <source>→ first reply word</source>
        <translation>→ 回复的第一个词</translation>
    </message>
    <message>
        <source>→ first reply audio</source>
        <translation>→ 回复的第一段音频</translation>
    </message>
    <message>
        <source>waiting for the end</source>
        <translation>等待说完</translation>
    </message>
    <message>
        <source>speech recognition</source>
        <translation>语音识别</translation>
    </message>
    <message>
        <source>routing</source>
        <translation>路由</translation>
    </message>
    <message>
        <source>first word written</source>
        <translation>写出第一个词</translation>
    </message>
    <message>
        <source>first words spoken</source>
        <translation>说出第一句</translation>
    </message>
    <message>
        <source>to the speaker</source>
        <translation>送到扬声器</translation>
    </message>
    <message>
        <source>Message details</source>
        <translation>消息详情</translation>
    </message>
    <message>
        <source>Mood over the conversation</source>
        <translation>对话中的情绪变化</translation>
    </message>
    <message>
        <source>Selected message</source>
        <translation>所选消息</translation>
    </message>
    <message>
        <source>Click a message to see how it was understood and answered.</source>
        <translation>点击一条消息，查看它是如何被理解和回答的。</translation>
    </message>
    <message>
        <source>Image evidence</source>
        <translation>图像依据</translation>
    </message>
    <message>
        <source>Sources</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Sources of the reply</source>
        <translation>回复的来源</translation>
    </message>
    <message>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>seed {seed}</source>
        <translation>种子 {seed}</translation>
    </message>
    <message>
        <source>(a memory since deleted)</source>
        <translation>（一条已删除的记忆）</translation>
    </message>
</context>
<context>
    <name>Documents</name>
    <message>
        <source>Indexing stopped: {count} documents were indexed before it; the rest was left as it was.</source>
        <translation>索引已停止：之前已为 {count} 个文档建立索引，其余保持原样。</translation>
    </message>
    <message>
        <source>No document was indexed: {count} could not be read.</source>
        <translation>没有文档被编入索引：{count} 个无法读取。</translation>
    </message>
    <message>
        <source>Your documents are up to date ({count} unchanged).</source>
        <translation>你的文档已是最新（{count} 个未改变）。</translation>
    </message>
    <message>
        <source>Indexed {count} documents ({added} new, {updated} changed, {unchanged} unchanged): {chunks} passages in {seconds} s.</source>
        <translation>已为 {count} 个文档建立索引（新增 {added} 个，更改 {updated} 个，未变 {unchanged} 个）：共 {chunks} 个段落，用时 {seconds} 秒。</translation>
    </message>
    <message>
        <source>{count} could not be read.</source>
        <translation>{count} 个无法读取。</translation>
    </message>
    <message>
        <source>{name}: {reason}</source>
        <translation>{name}：{reason}</translation>
    </message>
    <message>
        <source>Add documents</source>
        <translation>添加文档</translation>
    </message>
    <message>
        <source>Documents ({patterns})</source>
        <translation>文档（{patterns}）</translation>
    </message>
    <message>
        <source>Add a folder of documents</source>
        <translation>添加一个文档文件夹</translation>
    </message>
</context>
<context>
    <name>DocumentsDialog</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>页数</translation>
    </message>
    <message>
        <source>Passages</source>
        <translation>段落</translation>
    </message>
    <message>
        <source>Indexed</source>
        <translation>索引时间</translation>
    </message>
    <message>
        <source>Text</source>
        <extracomment>a document's kind (DocumentInfo.kind) as the list says it; another one as it is stored</extracomment>
        <translation>文本</translation>
    </message>
    <message>
        <source>Your documents</source>
        <translation>你的文档</translation>
    </message>
    <message>
        <source>Sensorium answers questions from these files, with the passages it used. They are read and kept on this computer only. Drop files on the window to add them, too.</source>
        <translation>Sensorium 会根据这些文件回答问题，并给出所用的段落。文件只在这台电脑上读取和保存。也可以把文件拖到窗口上来添加。</translation>
    </message>
    <message>
        <source>Indexed documents</source>
        <translation>已索引的文档</translation>
    </message>
    <message>
        <source>Add documents…</source>
        <translation>添加文档…</translation>
    </message>
    <message>
        <source>Add a folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Indexing failed: {problem}</source>
        <translation>索引失败：{problem}</translation>
    </message>
    <message>
        <source>{count} documents, {chunks} passages.</source>
        <translation>{count} 个文档，{chunks} 个段落。</translation>
    </message>
    <message>
        <source>No documents yet: add files or a folder.</source>
        <translation>还没有文档：请添加文件或文件夹。</translation>
    </message>
    <message>
        <source>Removed {names} from your documents (the files stay where they are).</source>
        <translation>已从你的文档中移除 {names}（文件本身仍在原处）。</translation>
    </message>
</context>
<context>
    <name>DropOverlay</name>
    <message>
        <source>Drop pictures to ask about them,
or documents to add them to your documents</source>
        <translation>拖入图片即可就图片提问，
拖入文档即可加入你的文档</translation>
    </message>
</context>
<context>
    <name>DropTarget</name>
    <message>
        <source>only files on this computer can be dropped (web addresses are not fetched)</source>
        <translation>只能拖放这台电脑上的文件（不会下载网址）</translation>
    </message>
</context>
<context>
    <name>EvidenceBars</name>
    <message>
        <source>Image evidence</source>
        <translation>图像依据</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <source>Welcome to Sensorium</source>
        <translation>欢迎使用 Sensorium</translation>
    </message>
    <message>
        <source>First run</source>
        <translation>首次运行</translation>
    </message>
    <message>
        <source>Everything runs on this computer: what you say, show and draw stays here. Here is what is ready, and the models that suit this machine.</source>
        <translation>一切都在这台电脑上运行：你说的话、展示的图片和画的画都留在本机。下面是已就绪的内容，以及适合这台电脑的模型。</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Download the selected models</source>
        <translation>下载所选模型</translation>
    </message>
    <message>
        <source>Cancel download</source>
        <translation>取消下载</translation>
    </message>
    <message>
        <source>Cancel the download</source>
        <translation>取消下载</translation>
    </message>
    <message>
        <source>The processor, the graphics card, and the models already here. Nothing is downloaded yet.</source>
        <translation>正在检查处理器、显卡和已有的模型。尚未下载任何内容。</translation>
    </message>
    <message>
        <source>Checking this computer</source>
        <translation>正在检查这台电脑</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>这台电脑</translation>
    </message>
    <message>
        <source>Recommendation</source>
        <translation>推荐</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>许可证</translation>
    </message>
    <message>
        <source>Licences to note</source>
        <translation>需要留意的许可证</translation>
    </message>
    <message>
        <source>Download size and free space</source>
        <translation>下载大小和可用空间</translation>
    </message>
    <message>
        <source>Overall download progress</source>
        <translation>总体下载进度</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>Checking this computer…</source>
        <translation>正在检查这台电脑…</translation>
    </message>
    <message>
        <source>Could not check this computer: {message}</source>
        <translation>无法检查这台电脑：{message}</translation>
    </message>
    <message>
        <source>{reason} Choose another model for a role, or untick it.</source>
        <translation>{reason}你可以为某个角色换用其他模型，或取消勾选。</translation>
    </message>
    <message>
        <source>{model}  (recommended)</source>
        <translation>{model}  （推荐）</translation>
    </message>
    <message>
        <source>{size} free in {folder}</source>
        <translation>{folder} 中可用 {size}</translation>
    </message>
    <message>
        <source>downloads go to {folder}</source>
        <translation>下载到 {folder}</translation>
    </message>
    <message>
        <source>To download: 1 model, {size}; {where}</source>
        <translation>待下载：1 个模型，{size}；{where}</translation>
    </message>
    <message>
        <source>To download: {n} models, {size}; {where}</source>
        <translation>待下载：{n} 个模型，{size}；{where}</translation>
    </message>
    <message>
        <source>Nothing to download; {where}</source>
        <translation>无需下载；{where}</translation>
    </message>
    <message>
        <source>Download 1 model ({size})</source>
        <translation>下载 1 个模型（{size}）</translation>
    </message>
    <message>
        <source>Download {n} models ({size})</source>
        <translation>下载 {n} 个模型（{size}）</translation>
    </message>
    <message>
        <source>&lt;b&gt;{model}&lt;/b&gt; ({role}): {licence}: {terms}.</source>
        <translation>&lt;b&gt;{model}&lt;/b&gt;（{role}）：{licence}：{terms}。</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>跳过</translation>
    </message>
    <message>
        <source>waiting…</source>
        <translation>等待中…</translation>
    </message>
    <message>
        <source>checking the disk space…</source>
        <translation>正在检查磁盘空间…</translation>
    </message>
    <message>
        <source>Cancelling the download…</source>
        <translation>正在取消下载…</translation>
    </message>
    <message>
        <source>{percent}  {done} of {total}</source>
        <translation>{percent}  {done} / {total}</translation>
    </message>
    <message>
        <source>The download stopped: {message}</source>
        <translation>下载已停止：{message}</translation>
    </message>
    <message>
        <source>Download cancelled. What came is kept, and Download resumes from there.</source>
        <translation>下载已取消。已下载的部分会保留，再次点击“下载”将从断点继续。</translation>
    </message>
    <message>
        <source>{n} downloaded</source>
        <translation>已下载 {n} 个</translation>
    </message>
    <message>
        <source>{n} failed</source>
        <translation>失败 {n} 个</translation>
    </message>
    <message>
        <source>{n} cancelled</source>
        <translation>已取消 {n} 个</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>Download finished: {counts}. Each failed model says why on its row; Download tries again.</source>
        <translation>下载结束：{counts}。每个失败的模型都在其所在行说明了原因；点击“下载”可重试。</translation>
    </message>
    <message>
        <source>Download finished: {counts}.</source>
        <translation>下载结束：{counts}。</translation>
    </message>
    <message>
        <source>Sensorium {version} on {system}, Python {python}, {threads} CPU threads, {gpu}; device setting: {device}</source>
        <translation>Sensorium {version}，运行于 {system}，Python {python}，{threads} 个 CPU 线程，{gpu}；设备设置：{device}</translation>
    </message>
    <message>
        <source>NVIDIA driver {version}</source>
        <translation>NVIDIA 驱动 {version}</translation>
    </message>
    <message>
        <source>(version unknown)</source>
        <translation>（版本未知）</translation>
    </message>
    <message>
        <source>no NVIDIA GPU</source>
        <translation>无 NVIDIA GPU</translation>
    </message>
</context>
<context>
    <name>GenCard</name>
    <message>
        <source>Stopped.</source>
        <extracomment>The lines a stopped card shows (the bubble passes one of them, in English; the card translates it).</extracomment>
        <translation>已停止。</translation>
    </message>
    <message>
        <source>Could not draw the picture.</source>
        <translation>无法绘制这张图片。</translation>
    </message>
    <message>
        <source>Image generation</source>
        <translation>图像生成</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop drawing (Esc)</source>
        <translation>停止绘制（Esc）</translation>
    </message>
    <message>
        <source>Cancel image generation</source>
        <translation>取消图像生成</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <source>Live preview</source>
        <translation>实时预览</translation>
    </message>
    <message>
        <source>Step %v of %m</source>
        <translation>第 %v 步，共 %m 步</translation>
    </message>
    <message>
        <source>Generation progress</source>
        <translation>生成进度</translation>
    </message>
    <message>
        <source>Variations</source>
        <translation>变体</translation>
    </message>
    <message>
        <source>Same prompt and settings, a new seed</source>
        <translation>相同的提示词和设置，换一个种子</translation>
    </message>
    <message>
        <source>Edit this</source>
        <translation>编辑这张</translation>
    </message>
    <message>
        <source>Change this picture: it becomes the input of your next message</source>
        <translation>修改这张图片：它会成为你下一条消息的输入</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Variations of this picture</source>
        <translation>这张图片的变体</translation>
    </message>
    <message>
        <source>Edit this picture</source>
        <translation>编辑这张图片</translation>
    </message>
    <message>
        <source>Save the picture as</source>
        <translation>将图片另存为</translation>
    </message>
    <message>
        <source>Copy the picture</source>
        <translation>复制图片</translation>
    </message>
    <message>
        <source>Loading the image model…</source>
        <translation>正在加载图像模型…</translation>
    </message>
    <message>
        <source>Drawing “{prompt}”</source>
        <translation>正在绘制“{prompt}”</translation>
    </message>
    <message>
        <source>Drawing…</source>
        <translation>正在绘制…</translation>
    </message>
    <message>
        <source>{seconds} s so far</source>
        <translation>已用 {seconds} 秒</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>正在开始</translation>
    </message>
    <message>
        <source>drawing on the server, {waited}</source>
        <translation>正在服务器上绘制，{waited}</translation>
    </message>
    <message>
        <source>{count} images</source>
        <translation>{count} 张图片</translation>
    </message>
    <message>
        <source>about {seconds} s left</source>
        <translation>约剩 {seconds} 秒</translation>
    </message>
    <message>
        <source>almost done</source>
        <translation>即将完成</translation>
    </message>
    <message>
        <source>image {number} of {count}</source>
        <translation>第 {number} 张，共 {count} 张</translation>
    </message>
    <message>
        <source>Seed {seed}</source>
        <translation>种子 {seed}</translation>
    </message>
    <message>
        <source>{steps} steps</source>
        <translation>{steps} 步</translation>
    </message>
    <message>
        <source>guidance {guidance}</source>
        <translation>引导系数 {guidance}</translation>
    </message>
    <message>
        <source>flagged by the safety checker</source>
        <translation>被安全检查器标记</translation>
    </message>
</context>
<context>
    <name>HistoryService</name>
    <message>
        <source>the history could not be read or saved</source>
        <extracomment>what failed, said in the ``problem`` line (``what`` of a call, translated under "HistoryService")</extracomment>
        <translation>无法读取或保存历史记录</translation>
    </message>
    <message>
        <source>the history is closed; start Sensorium again</source>
        <translation>历史记录已关闭，请重新启动 Sensorium</translation>
    </message>
    <message>
        <source>the history could not be read ({problem})</source>
        <translation>无法读取历史记录（{problem}）</translation>
    </message>
    <message>
        <source>{what} ({problem})</source>
        <translation>{what}（{problem}）</translation>
    </message>
</context>
<context>
    <name>ImageParams</name>
    <message>
        <source>Drawing parameters</source>
        <translation>绘图参数</translation>
    </message>
    <message>
        <source>Image size</source>
        <translation>图像尺寸</translation>
    </message>
    <message>
        <source>Model default</source>
        <translation>模型默认</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Denoising steps: more is slower and usually cleaner</source>
        <translation>去噪步数：越多越慢，通常也越清晰</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>The same seed and settings give the same picture</source>
        <translation>相同的种子和设置会得到相同的图片</translation>
    </message>
    <message>
        <source>Guidance</source>
        <translation>引导系数</translation>
    </message>
    <message>
        <source>How closely the picture follows the prompt</source>
        <translation>图片贴合提示词的程度</translation>
    </message>
    <message>
        <source>Best of</source>
        <translation>择优张数</translation>
    </message>
    <message>
        <source>Draw several and rank them by how well they match the prompt</source>
        <translation>绘制多张，并按与提示词的匹配程度排序</translation>
    </message>
    <message>
        <source>Negative prompt</source>
        <translation>反向提示词</translation>
    </message>
    <message>
        <source>What the picture should not show</source>
        <translation>图片中不应出现的内容</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>尺寸</translation>
    </message>
</context>
<context>
    <name>ImageViewer</name>
    <message>
        <source>Save as…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Use as input</source>
        <translation>用作输入</translation>
    </message>
    <message>
        <source>This picture can no longer be opened.</source>
        <translation>这张图片已无法打开。</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Save picture as</source>
        <translation>图片另存为</translation>
    </message>
    <message>
        <source>Pictures (*.png *.jpg *.webp)</source>
        <translation>图片 (*.png *.jpg *.webp)</translation>
    </message>
</context>
<context>
    <name>IndexBar</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancel indexing</source>
        <translation>取消索引</translation>
    </message>
    <message>
        <source>Indexing progress</source>
        <translation>索引进度</translation>
    </message>
    <message>
        <source>Stopping after this file…</source>
        <translation>处理完这个文件后停止…</translation>
    </message>
    <message>
        <source>Reading your documents…</source>
        <translation>正在读取你的文档…</translation>
    </message>
    <message>
        <source>Indexing {name} ({done} of {total})</source>
        <translation>正在索引 {name}（第 {done} 个，共 {total} 个）</translation>
    </message>
</context>
<context>
    <name>InputBar</name>
    <message>
        <source>Listening: just speak</source>
        <translation>正在聆听：直接说话即可</translation>
    </message>
    <message>
        <source>Hearing you…</source>
        <translation>正在听你说…</translation>
    </message>
    <message>
        <source>Thinking…</source>
        <translation>正在思考…</translation>
    </message>
    <message>
        <source>Speaking: talk to interrupt</source>
        <translation>正在说话：开口即可打断</translation>
    </message>
    <message>
        <source>Muted: not listening</source>
        <translation>已静音：不再聆听</translation>
    </message>
    <message>
        <source>Attach pictures</source>
        <translation>附加图片</translation>
    </message>
    <message>
        <source>Draw: the message becomes a picture prompt</source>
        <translation>画图：消息将作为图片提示词</translation>
    </message>
    <message>
        <source>Drawing parameters</source>
        <translation>画图参数</translation>
    </message>
    <message>
        <source>Hands-free conversation: speak any time, talk to interrupt</source>
        <translation>免提对话：随时说话，开口即可打断</translation>
    </message>
    <message>
        <source>Mute: stop listening</source>
        <translation>静音：停止聆听</translation>
    </message>
    <message>
        <source>Voice state</source>
        <translation>语音状态</translation>
    </message>
    <message>
        <source>Pictures ({patterns})</source>
        <translation>图片 ({patterns})</translation>
    </message>
    <message>
        <source>{count} files ({names})</source>
        <translation>{count} 个文件（{names}）</translation>
    </message>
    <message>
        <source>{what} not attached: only picture files (PNG, JPEG, WebP, GIF, BMP, TIFF, HEIC) can be attached</source>
        <translation>{what} 未附加：只能附加图片文件（PNG、JPEG、WebP、GIF、BMP、TIFF、HEIC）</translation>
    </message>
    <message>
        <source>the pasted picture could not be saved: check free disk space</source>
        <translation>无法保存粘贴的图片：请检查磁盘剩余空间</translation>
    </message>
    <message>
        <source>Describe the picture to draw…  (Enter to start)</source>
        <translation>描述要画的图片…  （按 Enter 开始）</translation>
    </message>
    <message>
        <source>Message Sensorium…  (Shift+Enter: new line)</source>
        <translation>给 Sensorium 发消息…  （Shift+Enter 换行）</translation>
    </message>
    <message>
        <source>Editing the attached picture: describe the change</source>
        <translation>正在修改附加的图片：请描述要做的改动</translation>
    </message>
    <message>
        <source>Drawing: your message is the picture prompt</source>
        <translation>画图：你的消息就是图片提示词</translation>
    </message>
    <message>
        <source>describe how the picture should change, then press Enter</source>
        <translation>请描述图片要怎样修改，然后按 Enter</translation>
    </message>
    <message>
        <source>Stop (Esc)</source>
        <translation>停止 (Esc)</translation>
    </message>
    <message>
        <source>Send (Enter)</source>
        <translation>发送 (Enter)</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Stop recording and send</source>
        <translation>停止录音并发送</translation>
    </message>
    <message>
        <source>Record a voice message (hold Ctrl+Space)</source>
        <translation>录制语音消息 (按住 Ctrl+Space)</translation>
    </message>
</context>
<context>
    <name>Knowledge</name>
    <message>
        <source>your documents could not be listed ({problem})</source>
        <translation>无法列出你的文档（{problem}）</translation>
    </message>
    <message>
        <source>the document could not be removed ({problem})</source>
        <translation>无法移除该文档（{problem}）</translation>
    </message>
    <message>
        <source>your memories could not be read ({problem})</source>
        <translation>无法读取你的记忆（{problem}）</translation>
    </message>
    <message>
        <source>the memory could not be stored ({problem})</source>
        <translation>无法保存这条记忆（{problem}）</translation>
    </message>
    <message>
        <source>the memory could not be changed ({problem})</source>
        <translation>无法修改这条记忆（{problem}）</translation>
    </message>
    <message>
        <source>the memory could not be deleted ({problem})</source>
        <translation>无法删除这条记忆（{problem}）</translation>
    </message>
    <message>
        <source>the memories could not be deleted ({problem})</source>
        <translation>无法删除这些记忆（{problem}）</translation>
    </message>
</context>
<context>
    <name>LearnDialog</name>
    <message>
        <source>Preparing</source>
        <translation>准备中</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练中</translation>
    </message>
    <message>
        <source>Evaluating</source>
        <translation>评估中</translation>
    </message>
    <message>
        <source>Measure</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Base model</source>
        <translation>基础模型</translation>
    </message>
    <message>
        <source>With adapter</source>
        <translation>使用适配器</translation>
    </message>
    <message>
        <source>Passed</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>Adapter</source>
        <translation>适配器</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Made</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Learn from my ratings</source>
        <translation>从我的评分中学习</translation>
    </message>
    <message>
        <source>Sensorium can train a small adapter for its language model from the replies you rated good or bad, here on this computer. It is switched on only if it beats the model without it on some of your own ratings kept aside, and does no worse on a fixed set of questions.</source>
        <translation>Sensorium 可以根据你评为好或差的回复，在这台电脑上为语言模型训练一个小适配器。只有当它在你预留的一部分评分上胜过不用它的模型、并且在一组固定问题上不变差时，才会启用。</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Training progress</source>
        <translation>训练进度</translation>
    </message>
    <message>
        <source>Before and after</source>
        <translation>训练前后对比</translation>
    </message>
    <message>
        <source>Learned adapters</source>
        <translation>已学到的适配器</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Counting your ratings…</source>
        <translation>正在统计你的评分…</translation>
    </message>
    <message>
        <source>held-out pairs: chosen reply preferred</source>
        <extracomment>The evaluation's measures (EvalRow.name) as the table says them; another one as it is named.</extracomment>
        <translation>留出的成对评分：选中回复占优</translation>
    </message>
    <message>
        <source>held-out pairs: mean margin, nats</source>
        <translation>留出的成对评分：平均差值（奈特）</translation>
    </message>
    <message>
        <source>held-out good replies: loss per token</source>
        <translation>留出的好评回复：每词元损失</translation>
    </message>
    <message>
        <source>sanity questions answered</source>
        <translation>基本问题答对</translation>
    </message>
    <message>
        <source>sanity: the base model's answers, loss per token</source>
        <translation>基本问题：基础模型自己的回答，每词元损失</translation>
    </message>
    <message>
        <source>You rated {good} replies good and {bad} bad; {pairs} requests have both, a better and a worse reply to learn from.</source>
        <translation>你把 {good} 条回复评为好，{bad} 条评为差；其中 {pairs} 个请求两者都有，即可供学习的一条较好和一条较差的回复。</translation>
    </message>
    <message>
        <source>Your ratings could not be read ({problem}).</source>
        <translation>无法读取你的评分（{problem}）。</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <source>{stage}: step {step} of {total}</source>
        <translation>{stage}：第 {step} 步，共 {total} 步</translation>
    </message>
    <message>
        <source>loss {loss}</source>
        <translation>损失 {loss}</translation>
    </message>
    <message>
        <source>Training was cancelled: nothing was changed.</source>
        <translation>训练已取消：没有任何改变。</translation>
    </message>
    <message>
        <source>higher is better</source>
        <translation>越高越好</translation>
    </message>
    <message>
        <source>lower is better</source>
        <translation>越低越好</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>Switched on: replies now use the adapter.</source>
        <translation>已启用：回复现在会使用这个适配器。</translation>
    </message>
    <message>
        <source>Not switched on: the model stays as it was.</source>
        <translation>未启用：模型保持原样。</translation>
    </message>
    <message>
        <source>{method} on {pairs} pairs and {examples} examples in {seconds} s.</source>
        <translation>{method}，{pairs} 对、{examples} 个样例，用时 {seconds} 秒。</translation>
    </message>
    <message>
        <source>The adapters could not be listed ({problem}).</source>
        <translation>无法列出适配器（{problem}）。</translation>
    </message>
    <message>
        <source>on</source>
        <translation>已启用</translation>
    </message>
    <message>
        <source>off</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>refused by the gate</source>
        <translation>未通过评估</translation>
    </message>
    <message>
        <source>Switch off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Switch on</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>The adapter could not be changed ({problem}).</source>
        <translation>无法更改该适配器（{problem}）。</translation>
    </message>
    <message>
        <source>Delete the adapter</source>
        <translation>删除适配器</translation>
    </message>
    <message>
        <source>Delete the adapter {id}? Replies go back to the model without it.</source>
        <translation>删除适配器 {id}？回复将恢复为不用它的模型。</translation>
    </message>
</context>
<context>
    <name>LevelMeter</name>
    <message>
        <source>Microphone level</source>
        <translation>麦克风音量</translation>
    </message>
</context>
<context>
    <name>LevelPreview</name>
    <message>
        <source>the microphone could not be closed ({reason})</source>
        <translation>无法关闭麦克风（{reason}）</translation>
    </message>
    <message>
        <source>the microphone could not be opened ({reason}): connect it, or choose another</source>
        <translation>无法打开麦克风（{reason}）：请连接它，或选择其他麦克风</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>{problem} (and {count} more)</source>
        <translation>{problem}（另有 {count} 个问题）</translation>
    </message>
    <message>
        <source>Copied to the clipboard.</source>
        <translation>已复制到剪贴板。</translation>
    </message>
    <message>
        <source>Temporary chat — nothing is saved: not the messages, not the chat, no memories. Start a new chat (Ctrl+N) to keep what you write.</source>
        <translation>临时对话——不保存任何内容：不保存消息、不保存对话、不产生记忆。要保留所写内容，请新建对话（Ctrl+N）。</translation>
    </message>
    <message>
        <source>Temporary chat: nothing of it is saved.</source>
        <translation>临时对话：其中的内容都不会保存。</translation>
    </message>
    <message>
        <source>some models could not be loaded: {role}: {problem}</source>
        <translation>部分模型无法加载：{role}：{problem}</translation>
    </message>
    <message>
        <source>Loading all models in the background…</source>
        <translation>正在后台加载所有模型…</translation>
    </message>
    <message>
        <source>History on/off takes effect the next time Sensorium starts.</source>
        <translation>历史记录的开关将在下次启动 Sensorium 时生效。</translation>
    </message>
    <message>
        <source>the interface could not switch to {language}: its translations are missing (run make translations)</source>
        <translation>界面无法切换到{language}：缺少翻译文件（请运行 make translations）</translation>
    </message>
    <message>
        <source>Download…</source>
        <translation>下载…</translation>
    </message>
    <message>
        <source>1 picture attached: ask a question about it, or switch on the brush to edit.</source>
        <translation>已附加 1 张图片：可以就它提问，或打开画笔进行修改。</translation>
    </message>
    <message>
        <source>{count} pictures attached: ask a question about them, or switch on the brush to edit.</source>
        <translation>已附加 {count} 张图片：可以就它们提问，或打开画笔进行修改。</translation>
    </message>
    <message>
        <source>this engine has no {feature}</source>
        <translation>此引擎不提供{feature}</translation>
    </message>
    <message>
        <source>documents index</source>
        <translation>文档索引</translation>
    </message>
    <message>
        <source>memory</source>
        <translation>记忆</translation>
    </message>
    <message>
        <source>learning from ratings</source>
        <translation>从评分中学习</translation>
    </message>
    <message>
        <source>indexing failed ({problem})</source>
        <translation>索引失败（{problem}）</translation>
    </message>
    <message>
        <source>Memory paused: nothing is used or offered.</source>
        <translation>记忆已暂停：不会使用也不会提议任何记忆。</translation>
    </message>
    <message>
        <source>Memory is on again.</source>
        <translation>记忆已重新开启。</translation>
    </message>
    <message>
        <source>Remembered: {text}</source>
        <translation>已记住：{text}</translation>
    </message>
    <message>
        <source>no application could open {file}</source>
        <translation>没有应用能打开 {file}</translation>
    </message>
    <message>
        <source>Picture copied to the clipboard.</source>
        <translation>图片已复制到剪贴板。</translation>
    </message>
</context>
<context>
    <name>Markdown</name>
    <message>
        <source>[image: {alt}]</source>
        <translation>[图片：{alt}]</translation>
    </message>
</context>
<context>
    <name>MarkdownRenderer</name>
    <message>
        <source>Copy code</source>
        <translation>复制代码</translation>
    </message>
</context>
<context>
    <name>Memory</name>
    <message>
        <source>name</source>
        <extracomment>MemoryItem.kind as the Memory dialog says it</extracomment>
        <translation>称呼</translation>
    </message>
    <message>
        <source>language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>diet</source>
        <translation>饮食</translation>
    </message>
    <message>
        <source>preference</source>
        <translation>偏好</translation>
    </message>
    <message>
        <source>fact</source>
        <translation>事实</translation>
    </message>
</context>
<context>
    <name>MemoryCard</name>
    <message>
        <source>Remember</source>
        <translation>记住</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>暂不</translation>
    </message>
    <message>
        <source>What to remember</source>
        <translation>要记住的内容</translation>
    </message>
    <message>
        <source>Remembered</source>
        <translation>已记住</translation>
    </message>
    <message>
        <source>“{text}” — change or delete it in Memory (Ctrl+Shift+M).</source>
        <translation>“{text}”——可在“记忆”中修改或删除（Ctrl+Shift+M）。</translation>
    </message>
    <message>
        <source>Remembering…</source>
        <translation>正在记住…</translation>
    </message>
    <message>
        <source>Remember this?</source>
        <translation>记住这一点吗？</translation>
    </message>
</context>
<context>
    <name>MemoryDialog</name>
    <message>
        <source>Memory</source>
        <translation>记忆</translation>
    </message>
    <message>
        <source>What Sensorium remembers about you, across conversations. It is kept on this computer only; a reply's details say which memories it used. Double-click one to change it.</source>
        <translation>Sensorium 在各次对话中记住的关于你的信息。只保存在这台电脑上；回复的详情会说明用到了哪些记忆。双击一条即可修改。</translation>
    </message>
    <message>
        <source>Pause memory (nothing is used in replies or offered)</source>
        <translation>暂停记忆（回复中不使用，也不提议）</translation>
    </message>
    <message>
        <source>Memories</source>
        <translation>记忆</translation>
    </message>
    <message>
        <source>Something to remember, e.g. “I'm vegetarian”</source>
        <translation>要记住的事，例如“我吃素”</translation>
    </message>
    <message>
        <source>New memory</source>
        <translation>新记忆</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Forget all…</source>
        <translation>全部忘记…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Memory is paused: nothing is used or offered until you switch it on again.</source>
        <translation>记忆已暂停：在你重新开启之前，不会使用也不会提议任何记忆。</translation>
    </message>
    <message>
        <source>1 memory.</source>
        <translation>1 条记忆。</translation>
    </message>
    <message>
        <source>{count} memories.</source>
        <translation>{count} 条记忆。</translation>
    </message>
    <message>
        <source>Nothing remembered yet: tell Sensorium something about you (“call me Lin”), or add it here.</source>
        <translation>还没有记住任何内容：告诉 Sensorium 一些关于你的事（“叫我小林”），或在这里添加。</translation>
    </message>
    <message>
        <source>Forget all</source>
        <translation>全部忘记</translation>
    </message>
    <message>
        <source>Forget everything Sensorium remembers about you? This cannot be undone.</source>
        <translation>忘记 Sensorium 记住的关于你的一切？此操作无法撤销。</translation>
    </message>
</context>
<context>
    <name>Menus</name>
    <message>
        <source>Ctrl+N new chat · Ctrl+F search · Ctrl+L message box · Enter send (after the reply) · Ctrl+Enter send now · Shift+Enter new line · Esc stop · Ctrl+R regenerate · Ctrl+B side panel · Ctrl+, settings · F6 next area · hold Ctrl+Space to talk · Alt+1 / Alt+2 answer “Did you mean…” · Ctrl+Shift+N temporary chat · Ctrl+Shift+O add documents · Ctrl+Shift+D your documents · Ctrl+Shift+M memory · Ctrl+Shift+P pause memory · Ctrl+Shift+L learn from my ratings</source>
        <translation>Ctrl+N 新对话 · Ctrl+F 搜索 · Ctrl+L 消息框 · Enter 发送（回复之后）· Ctrl+Enter 立即发送 · Shift+Enter 换行 · Esc 停止 · Ctrl+R 重新生成 · Ctrl+B 侧边栏 · Ctrl+, 设置 · F6 下一区域 · 按住 Ctrl+Space 说话 · Alt+1 / Alt+2 回答“你是想…” · Ctrl+Shift+N 临时对话 · Ctrl+Shift+O 添加文档 · Ctrl+Shift+D 你的文档 · Ctrl+Shift+M 记忆 · Ctrl+Shift+P 暂停记忆 · Ctrl+Shift+L 从我的评分中学习</translation>
    </message>
    <message>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>新建对话</translation>
    </message>
    <message>
        <source>New temporary chat</source>
        <translation>新建临时对话</translation>
    </message>
    <message>
        <source>A chat that saves nothing: not the messages, no memories</source>
        <translation>不保存任何内容的对话：不保存消息，也没有记忆</translation>
    </message>
    <message>
        <source>Add documents…</source>
        <translation>添加文档…</translation>
    </message>
    <message>
        <source>Add a folder of documents…</source>
        <translation>添加文档文件夹…</translation>
    </message>
    <message>
        <source>Your documents…</source>
        <translation>你的文档…</translation>
    </message>
    <message>
        <source>Export conversation as Markdown…</source>
        <translation>将对话导出为 Markdown…</translation>
    </message>
    <message>
        <source>Export conversation as JSON…</source>
        <translation>将对话导出为 JSON…</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>Search messages</source>
        <translation>搜索消息</translation>
    </message>
    <message>
        <source>Focus the message box</source>
        <translation>转到消息框</translation>
    </message>
    <message>
        <source>Regenerate the last reply</source>
        <translation>重新生成最后一条回复</translation>
    </message>
    <message>
        <source>Stop  (Esc)</source>
        <translation>停止  (Esc)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Side panel</source>
        <translation>侧边栏</translation>
    </message>
    <message>
        <source>Next area</source>
        <translation>下一区域</translation>
    </message>
    <message>
        <source>Previous area</source>
        <translation>上一区域</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>&amp;Models</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <source>Models…</source>
        <translation>模型…</translation>
    </message>
    <message>
        <source>Set up models for this computer…</source>
        <translation>为这台电脑设置模型…</translation>
    </message>
    <message>
        <source>Load all now</source>
        <translation>立即全部加载</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>Memory…</source>
        <translation>记忆…</translation>
    </message>
    <message>
        <source>Pause memory</source>
        <translation>暂停记忆</translation>
    </message>
    <message>
        <source>Learn from my ratings…</source>
        <translation>从我的评分中学习…</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
</context>
<context>
    <name>MessageBar</name>
    <message>
        <source>Message bar</source>
        <extracomment>a message bar line or action: the text, or a function that gives it in the current language</extracomment>
        <translation>消息栏</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>MessageEditor</name>
    <message>
        <source>Edited message</source>
        <translation>编辑后的消息</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Keep the message as it was (Esc)</source>
        <translation>保持消息原样 (Esc)</translation>
    </message>
    <message>
        <source>Cancel editing</source>
        <translation>取消编辑</translation>
    </message>
    <message>
        <source>Save and send</source>
        <translation>保存并发送</translation>
    </message>
    <message>
        <source>Send the edited message in a copy of this conversation (Ctrl+Enter)</source>
        <translation>在此对话的副本中发送编辑后的消息 (Ctrl+Enter)</translation>
    </message>
</context>
<context>
    <name>ModelStatusBar</name>
    <message>
        <source>Speech</source>
        <extracomment>The roles' short names (English source texts: show them with translate("ModelStatusBar", ...)).</extracomment>
        <translation>语音</translation>
    </message>
    <message>
        <source>Vision</source>
        <translation>视觉</translation>
    </message>
    <message>
        <source>Image Q&amp;A</source>
        <translation>图像问答</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>聊天</translation>
    </message>
    <message>
        <source>Drawing</source>
        <translation>绘图</translation>
    </message>
    <message>
        <source>Voice</source>
        <translation>声音</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>ready (on {host})</source>
        <translation>就绪（在 {host}）</translation>
    </message>
    <message>
        <source>ready (on a server)</source>
        <translation>就绪（在服务器上）</translation>
    </message>
    <message>
        <source>ready ({device})</source>
        <translation>就绪（{device}）</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>loading {percent}</source>
        <translation>加载中 {percent}</translation>
    </message>
    <message>
        <source>loading…</source>
        <translation>加载中…</translation>
    </message>
    <message>
        <source>downloading {percent}</source>
        <translation>下载中 {percent}</translation>
    </message>
    <message>
        <source>downloading…</source>
        <translation>下载中…</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>not loaded</source>
        <translation>未加载</translation>
    </message>
    <message>
        <source>{role} model status</source>
        <translation>{role}模型状态</translation>
    </message>
    <message>
        <source>{role}: {state}</source>
        <translation>{role}：{state}</translation>
    </message>
    <message>
        <source>{role} model: {state}</source>
        <translation>{role}模型：{state}</translation>
    </message>
    <message>
        <source>Open Models… to choose, download or fix it.</source>
        <translation>打开“模型…”来选择、下载或修复它。</translation>
    </message>
</context>
<context>
    <name>ModelsDialog</name>
    <message>
        <source>ready</source>
        <extracomment>A model's status (pipelines.catalog), as the table words it.</extracomment>
        <translation>就绪</translation>
    </message>
    <message>
        <source>needs download</source>
        <translation>需要下载</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>damaged (checksum mismatch)</source>
        <translation>已损坏（校验和不符）</translation>
    </message>
    <message>
        <source>Download</source>
        <extracomment>The buttons, by their English names (``buttons[name]``), in screen order.</extracomment>
        <translation>下载</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Verify</source>
        <translation>校验</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Use a local path…</source>
        <translation>使用本地路径…</translation>
    </message>
    <message>
        <source>Load now</source>
        <translation>立即加载</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Runs on</source>
        <translation>运行位置</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Checking the models…</source>
        <translation>正在检查模型…</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Each role uses one model. Offline packs work without a network; hub models download once (resumable, checked). Choose a model, or point a role at a folder or file of your own.</source>
        <translation>每个角色使用一个模型。离线包无需联网即可使用；模型库中的模型只需下载一次（可断点续传，并会校验）。请选择一个模型，或让某个角色使用你自己的文件夹或文件。</translation>
    </message>
    <message>
        <source>Check results</source>
        <translation>检查结果</translation>
    </message>
    <message>
        <source>Load each model and run a one-line test: device, libraries, weights, fixes</source>
        <translation>逐个加载模型并运行一行测试：设备、库、权重及修复建议</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>{role}: {model}{size} is not downloaded yet; press Download to get it.</source>
        <translation>{role}：{model}{size}尚未下载；请点击“下载”获取。</translation>
    </message>
    <message>
        <source> ({size} MB)</source>
        <translation>（{size} MB）</translation>
    </message>
    <message>
        <source>Select a role, then download, verify or load its model.</source>
        <translation>请选择一个角色，然后下载、校验或加载它的模型。</translation>
    </message>
    <message>
        <source>this computer</source>
        <translation>本机</translation>
    </message>
    <message>
        <source>server: {host}</source>
        <translation>服务器：{host}</translation>
    </message>
    <message>
        <source>Runs on this computer</source>
        <translation>在本机运行</translation>
    </message>
    <message>
        <source>{model} on the server at {url}</source>
        <translation>{url} 服务器上的 {model}</translation>
    </message>
    <message>
        <source>{model} on the server (local model {status}, unused)</source>
        <translation>服务器上的 {model}（本地模型{status}，未使用）</translation>
    </message>
    <message>
        <source>{status}: {message}</source>
        <translation>{status}：{message}</translation>
    </message>
    <message>
        <source>{size} MB</source>
        <translation>{size} MB</translation>
    </message>
    <message>
        <source>Downloading {model}…</source>
        <translation>正在下载 {model}…</translation>
    </message>
    <message>
        <source>Cancelling the download…</source>
        <translation>正在取消下载…</translation>
    </message>
    <message>
        <source>Verifying checksums…</source>
        <translation>正在校验…</translation>
    </message>
    <message>
        <source>{model} removed.</source>
        <translation>已删除 {model}。</translation>
    </message>
    <message>
        <source>{model} is not a downloaded model; nothing removed.</source>
        <translation>{model} 不是已下载的模型；未删除任何内容。</translation>
    </message>
    <message>
        <source>Folder with the {role} model</source>
        <translation>存放{role}模型的文件夹</translation>
    </message>
    <message>
        <source>Loading the {role} model in the background…</source>
        <translation>正在后台加载{role}模型…</translation>
    </message>
    <message>
        <source>A reply is running; check the models when it has finished.</source>
        <translation>正在生成回复；请等它完成后再检查模型。</translation>
    </message>
    <message>
        <source>Checking each role: loading its model and running a one-line test…</source>
        <translation>正在逐个检查角色：加载其模型并运行一行测试…</translation>
    </message>
    <message>
        <source>Check passed: {summary}</source>
        <translation>检查通过：{summary}</translation>
    </message>
    <message>
        <source>Check found problems: {summary}</source>
        <translation>检查发现问题：{summary}</translation>
    </message>
    <message>
        <source>The check stopped: {message}</source>
        <translation>检查已中止：{message}</translation>
    </message>
    <message>
        <source>Download complete.</source>
        <translation>下载完成。</translation>
    </message>
    <message>
        <source>{file}  {done} / {total} MB</source>
        <translation>{file}  {done} / {total} MB</translation>
    </message>
</context>
<context>
    <name>MoodChart</name>
    <message>
        <source>Mood chart</source>
        <translation>情绪图表</translation>
    </message>
    <message>
        <source>your messages, oldest to newest</source>
        <translation>你的消息，从旧到新</translation>
    </message>
    <message>
        <source>The mood of your messages appears here as you write</source>
        <translation>你写消息时，它们的情绪会显示在这里</translation>
    </message>
    <message>
        <source>Message {number} · mood {score}</source>
        <translation>消息 {number} · 情绪 {score}</translation>
    </message>
</context>
<context>
    <name>PromptEdit</name>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Message Sensorium…  (Shift+Enter: new line)</source>
        <translation>给 Sensorium 发消息…  （Shift+Enter：换行）</translation>
    </message>
    <message>
        <source>Enter sends (after the current reply), Ctrl+Enter sends now and stops the current reply, Shift+Enter adds a line</source>
        <translation>Enter 发送（在当前回复之后），Ctrl+Enter 立即发送并停止当前回复，Shift+Enter 换行</translation>
    </message>
</context>
<context>
    <name>QuestionCard</name>
    <message>
        <source>Sensorium asks: did you mean {choices}?</source>
        <translation>Sensorium 想确认：你的意思是{choices}？</translation>
    </message>
    <message>
        <source> or </source>
        <translation>还是</translation>
    </message>
    <message>
        <source>Did you mean…</source>
        <translation>你的意思是…</translation>
    </message>
    <message>
        <source>About {percent} likely ({key})</source>
        <translation>可能性约 {percent}（{key}）</translation>
    </message>
    <message>
        <source>about {percent} likely; {key}</source>
        <translation>可能性约 {percent}；{key}</translation>
    </message>
    <message>
        <source>Your request could be read either way. Pick one ({keys}): Sensorium remembers it for requests like this one.</source>
        <translation>你的请求可以有两种理解。请选一种（{keys}）：Sensorium 会在类似的请求中记住你的选择。</translation>
    </message>
    <message>
        <source>You went on without choosing; the question stays in the conversation.</source>
        <translation>你没有选择就继续了；这个问题会保留在对话中。</translation>
    </message>
</context>
<context>
    <name>RoleRow</name>
    <message>
        <source>Chat</source>
        <extracomment>The roles in the order the screen lists them (English source texts: shown with translate("RoleRow", ...)).</extracomment>
        <translation>聊天</translation>
    </message>
    <message>
        <source>Speech recognition</source>
        <translation>语音识别</translation>
    </message>
    <message>
        <source>Speech synthesis</source>
        <translation>语音合成</translation>
    </message>
    <message>
        <source>Image understanding</source>
        <translation>图像理解</translation>
    </message>
    <message>
        <source>Image questions</source>
        <translation>图像问答</translation>
    </message>
    <message>
        <source>Drawing</source>
        <translation>图像生成</translation>
    </message>
    <message>
        <source>Embeddings</source>
        <translation>文本嵌入</translation>
    </message>
    <message>
        <source>Ready now</source>
        <translation>已就绪</translation>
    </message>
    <message>
        <source>Needs a download</source>
        <translation>需要下载</translation>
    </message>
    <message>
        <source>Not installed</source>
        <translation>未安装</translation>
    </message>
    <message>
        <source>Damaged: checksum mismatch</source>
        <translation>已损坏：校验和不匹配</translation>
    </message>
    <message>
        <source>{role} status</source>
        <translation>{role}状态</translation>
    </message>
    <message>
        <source>{role} model</source>
        <translation>{role}模型</translation>
    </message>
    <message>
        <source>{role} download size</source>
        <translation>{role}下载大小</translation>
    </message>
    <message>
        <source>{role} model licence</source>
        <translation>{role}模型许可证</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>Download the {role} model</source>
        <translation>下载{role}模型</translation>
    </message>
    <message>
        <source>{role} model availability</source>
        <translation>{role}模型是否可用</translation>
    </message>
    <message>
        <source>{role} download progress</source>
        <translation>{role}下载进度</translation>
    </message>
    <message>
        <source>{role} download result</source>
        <translation>{role}下载结果</translation>
    </message>
    <message>
        <source>No model chosen</source>
        <translation>未选择模型</translation>
    </message>
    <message>
        <source>Uses the server at {server}</source>
        <translation>使用 {server} 上的服务器</translation>
    </message>
    <message>
        <source>{state}: {model}</source>
        <translation>{state}：{model}</translation>
    </message>
    <message>
        <source>your own files</source>
        <translation>你自己的文件</translation>
    </message>
    <message>
        <source>Model card: {url}</source>
        <translation>模型卡片：{url}</translation>
    </message>
    <message>
        <source>{licence}: {terms}</source>
        <translation>{licence}：{terms}</translation>
    </message>
    <message>
        <source>On this computer</source>
        <translation>已在这台电脑上</translation>
    </message>
    <message>
        <source>{model} comes with Sensorium's Python packages: reinstall them (make run)</source>
        <translation>{model} 随 Sensorium 的 Python 包提供：请重新安装这些包（make run）</translation>
    </message>
</context>
<context>
    <name>ServerPanel</name>
    <message>
        <source>This computer</source>
        <extracomment>(get(settings, role) -&gt; key or None, set(settings, key, role)): the keyring, or a test's stand-in</extracomment>
        <translation>本机</translation>
    </message>
    <message>
        <source>A server (OpenAI-compatible)</source>
        <translation>服务器（兼容 OpenAI）</translation>
    </message>
    <message>
        <source>Runs on</source>
        <translation>运行位置</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <source>Server model</source>
        <translation>服务器模型</translation>
    </message>
    <message>
        <source>Test connection lists the server's models</source>
        <translation>“测试连接”会列出服务器提供的模型</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Ask the server for its models (GET /models); nothing else is sent</source>
        <translation>向服务器查询其模型列表（GET /models）；不会发送其他任何内容</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Connection state</source>
        <translation>连接状态</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>{role}: where it runs</source>
        <translation>{role}：运行位置</translation>
    </message>
    <message>
        <source>A key is stored for this address (type to replace it)</source>
        <translation>已为此地址保存密钥（输入新密钥可替换）</translation>
    </message>
    <message>
        <source>None (type one if the server wants it)</source>
        <translation>无（如服务器需要，请输入）</translation>
    </message>
    <message>
        <source>Runs on this computer: nothing leaves the machine.</source>
        <translation>在本机运行：任何数据都不会离开这台电脑。</translation>
    </message>
    <message>
        <source>Runs on the server at {url} ({model}).</source>
        <translation>在 {url} 的服务器上运行（{model}）。</translation>
    </message>
    <message>
        <source>no model named</source>
        <translation>未指定模型</translation>
    </message>
    <message>
        <source>Asking {url} for its models…</source>
        <translation>正在向 {url} 查询模型…</translation>
    </message>
    <message>
        <source>Connected: the server offers 0 models.</source>
        <translation>已连接：服务器未提供任何模型。</translation>
    </message>
    <message>
        <source>{names} and {n} more</source>
        <translation>{names} 等另外 {n} 个</translation>
    </message>
    <message>
        <source>Connected: the server offers 1 model ({names}).</source>
        <translation>已连接：服务器提供 1 个模型（{names}）。</translation>
    </message>
    <message>
        <source>Connected: the server offers {n} models ({names}).</source>
        <translation>已连接：服务器提供 {n} 个模型（{names}）。</translation>
    </message>
    <message>
        <source>{line} {name} is not among them: pick one, or check the name.</source>
        <translation>{line}{name} 不在其中：请从中选择一个，或检查名称。</translation>
    </message>
    <message>
        <source>Not connected: {reason}</source>
        <translation>未连接：{reason}</translation>
    </message>
    <message>
        <source>A server needs its address and a model: type both (Test connection lists the models), then Apply.</source>
        <translation>使用服务器需要填写地址和模型：请输入两者（“测试连接”会列出可用模型），然后点击“应用”。</translation>
    </message>
    <message>
        <source>{summary} Applied: it is used from the next request.</source>
        <translation>{summary}已应用：从下一个请求开始生效。</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Settings pages</source>
        <translation>设置页面</translation>
    </message>
    <message>
        <source>Settings problem</source>
        <translation>设置问题</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Close settings</source>
        <translation>关闭设置</translation>
    </message>
    <message>
        <source>The chosen microphone's level, live while this page is open</source>
        <translation>所选麦克风的实时音量（本页打开时显示）</translation>
    </message>
    <message>
        <source>Microphone preview</source>
        <translation>麦克风预览</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Kept in the system keyring for the server address above, never in the settings file.</source>
        <translation>按上方的服务器地址保存在系统密钥环中，绝不写入设置文件。</translation>
    </message>
    <message>
        <source>Delete all data…</source>
        <translation>删除所有数据…</translation>
    </message>
    <message>
        <source>All data</source>
        <translation>所有数据</translation>
    </message>
    <message>
        <source>Every conversation, message, rating and saved picture, your memories, the index of your documents and the adapters learned from your ratings: deleted at once, after you confirm.</source>
        <translation>所有对话、消息、评分和保存的图片，你的记忆、文档索引以及从评分中学到的适配器：确认后立即全部删除。</translation>
    </message>
    <message>
        <source>Learned corrections</source>
        <translation>已学习的纠正</translation>
    </message>
    <message>
        <source>What you said requests meant (“Not what I meant”, and the readings you picked when asked): similar requests are understood that way.</source>
        <translation>你指出的请求含义（“不是我的意思”，以及被询问时你选择的理解）：类似的请求会按此理解。</translation>
    </message>
    <message>
        <source>Reset…</source>
        <translation>重置…</translation>
    </message>
    <message>
        <source>Reset the learned corrections</source>
        <translation>重置已学习的纠正</translation>
    </message>
    <message>
        <source>{label}: {problem} (allowed: {min} to {max}); not applied</source>
        <translation>{label}：{problem}（允许范围：{min} 到 {max}）；未应用</translation>
    </message>
    <message>
        <source>{label}: {problem} (at least {min}); not applied</source>
        <translation>{label}：{problem}（至少为 {min}）；未应用</translation>
    </message>
    <message>
        <source>{label}: {problem}; not applied</source>
        <translation>{label}：{problem}；未应用</translation>
    </message>
    <message>
        <source>counting…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <source>resetting…</source>
        <translation>正在重置…</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>暂无</translation>
    </message>
    <message>
        <source>1 correction</source>
        <translation>1 条纠正</translation>
    </message>
    <message>
        <source>{n} corrections</source>
        <translation>{n} 条纠正</translation>
    </message>
    <message>
        <source>not available here</source>
        <translation>此处不可用</translation>
    </message>
    <message>
        <source>the learned corrections could not be read ({reason})</source>
        <translation>无法读取已学习的纠正（{reason}）</translation>
    </message>
    <message>
        <source>Reset learned corrections</source>
        <translation>重置已学习的纠正</translation>
    </message>
    <message>
        <source>Forget every correction of what a request meant? Requests are understood as before you made them.</source>
        <translation>要忘记所有关于请求含义的纠正吗？请求将恢复为纠正之前的理解方式。</translation>
    </message>
    <message>
        <source>Delete all data</source>
        <translation>删除所有数据</translation>
    </message>
    <message>
        <source>Delete every conversation, message, rating and saved picture, everything Sensorium remembers about you, the index of your documents (the files themselves stay) and the adapters learned from your ratings? This cannot be undone.</source>
        <translation>删除所有对话、消息、评分和保存的图片、Sensorium 记住的关于你的一切、你的文档索引（文件本身保留）以及从评分中学到的适配器？此操作无法撤销。</translation>
    </message>
    <message>
        <source>Paste a key and press Enter</source>
        <translation>粘贴密钥后按回车</translation>
    </message>
    <message>
        <source>No keyring is available to store a key</source>
        <translation>没有可用于保存密钥的密钥环</translation>
    </message>
    <message>
        <source>API key status ({group})</source>
        <translation>API 密钥状态（{group}）</translation>
    </message>
    <message>
        <source>Remove key</source>
        <translation>移除密钥</translation>
    </message>
    <message>
        <source>Remove the stored API key ({group})</source>
        <translation>移除已保存的 API 密钥（{group}）</translation>
    </message>
    <message>
        <source>the keyring could not be read ({reason})</source>
        <translation>无法读取密钥环（{reason}）</translation>
    </message>
    <message>
        <source>A key is stored in the system keyring</source>
        <translation>系统密钥环中已保存密钥</translation>
    </message>
    <message>
        <source>No key stored</source>
        <translation>未保存密钥</translation>
    </message>
</context>
<context>
    <name>SettingsEditors</name>
    <message>
        <source>{device} (not connected)</source>
        <translation>{device}（未连接）</translation>
    </message>
    <message>
        <source>Model default</source>
        <translation>模型默认值</translation>
    </message>
    <message>
        <source>paths separated by ;</source>
        <translation>多个路径用 ; 分隔</translation>
    </message>
</context>
<context>
    <name>SettingsService</name>
    <message>
        <source>settings could not be saved ({problem}); they apply until you quit</source>
        <translation>无法保存设置（{problem}），这些设置在退出前仍然有效</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <source>%d %b</source>
        <translation>%m月%d日</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>{title}
{count} messages · {when}</source>
        <translation>{title}
{count} 条消息 · {when}</translation>
    </message>
    <message>
        <source>{title}, {count} messages, {when}</source>
        <translation>{title}，{count} 条消息，{when}</translation>
    </message>
    <message>
        <source>Conversations</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>New chat (Ctrl+N)</source>
        <translation>新建对话 (Ctrl+N)</translation>
    </message>
    <message>
        <source>Rename the conversation (F2)</source>
        <translation>重命名对话 (F2)</translation>
    </message>
    <message>
        <source>Delete the conversation (Delete; you can undo)</source>
        <translation>删除对话 (Delete，可撤销)</translation>
    </message>
    <message>
        <source>Search all messages (Ctrl+F)</source>
        <translation>搜索所有消息 (Ctrl+F)</translation>
    </message>
    <message>
        <source>Search messages</source>
        <translation>搜索消息</translation>
    </message>
    <message>
        <source>Enter opens the conversation, F2 renames it, Delete deletes it</source>
        <translation>Enter 打开对话，F2 重命名，Delete 删除</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>搜索结果</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Export as Markdown…</source>
        <translation>导出为 Markdown…</translation>
    </message>
    <message>
        <source>Export as JSON…</source>
        <translation>导出为 JSON…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <source>Nothing found for “{query}”</source>
        <translation>没有找到“{query}”</translation>
    </message>
    <message>
        <source>1 message found</source>
        <translation>找到 1 条消息</translation>
    </message>
    <message>
        <source>{count} messages found</source>
        <translation>找到 {count} 条消息</translation>
    </message>
</context>
<context>
    <name>Thumbnail</name>
    <message>
        <source>{path}
Click to open full size</source>
        <translation>{path}
点击查看原图</translation>
    </message>
    <message>
        <source>Picture</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>{name}; press Enter to open it full size</source>
        <translation>{name}；按 Enter 查看原图</translation>
    </message>
    <message>
        <source>(picture not found)</source>
        <translation>（找不到图片）</translation>
    </message>
</context>
<context>
    <name>Turns</name>
    <message>
        <source>wait for the reply to finish (or press Esc) before regenerating</source>
        <translation>请等回复完成（或按 Esc）后再重新生成</translation>
    </message>
    <message>
        <source>there is nothing to regenerate yet: send a message first</source>
        <translation>还没有可以重新生成的内容：请先发送一条消息</translation>
    </message>
    <message>
        <source>that question was passed over: send the request again to be asked again</source>
        <translation>这个问题已经过去了：重新发送请求即可再次询问</translation>
    </message>
    <message>
        <source>wait for the reply to finish (or press Esc) before choosing</source>
        <translation>请等回复完成（或按 Esc）后再选择</translation>
    </message>
    <message>
        <source>this reply was not stored, so there is nothing to correct</source>
        <translation>这条回复没有保存，因此无法更正</translation>
    </message>
    <message>
        <source>wait for the reply to finish (or press Esc) before correcting it</source>
        <translation>请等回复完成（或按 Esc）后再更正</translation>
    </message>
    <message>
        <source>Learned: next time such a request means ‘{reading}’.</source>
        <translation>已记住：下次这样的请求表示“{reading}”。</translation>
    </message>
    <message>
        <source>the correction could not be stored ({problem})</source>
        <translation>无法保存更正（{problem}）</translation>
    </message>
    <message>
        <source>Describe the change and press Enter: the picture is the starting point.</source>
        <translation>描述要做的改动并按 Enter：将以这张图片为基础。</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>the rating could not be saved ({problem})</source>
        <translation>无法保存评价（{problem}）</translation>
    </message>
    <message>
        <source>the reply could not be played ({problem})</source>
        <translation>无法播放回复（{problem}）</translation>
    </message>
    <message>
        <source>Tone: {tone}</source>
        <translation>语气：{tone}</translation>
    </message>
    <message>
        <source>Not sent: your message is back in the box.</source>
        <translation>未发送：你的消息已放回输入框。</translation>
    </message>
</context>
<context>
    <name>VoiceController</name>
    <message>
        <source>the microphone could not be used ({problem}): check that one is connected, or choose another in Settings &gt; Voice</source>
        <translation>无法使用麦克风（{problem}）：请检查是否已连接，或在“设置 &gt; 语音”中选择其他麦克风</translation>
    </message>
</context>
<context>
    <name>catalog</name>
    <message>
        <source>An NVIDIA GPU with {gb} GB of memory was found, so these are the largest models that fit on it together.</source>
        <translation>检测到一块显存为 {gb} GB 的 NVIDIA GPU，因此推荐能同时装入其中的最大模型。</translation>
    </message>
    <message>
        <source>An NVIDIA GPU with {gb} GB of memory was found, so these are the standard GPU models.</source>
        <translation>检测到一块显存为 {gb} GB 的 NVIDIA GPU，因此推荐标准 GPU 模型。</translation>
    </message>
    <message>
        <source>Not enough disk space: the download needs {needed} and {folder} has {free} free; free some space or choose smaller models.</source>
        <translation>磁盘空间不足：下载需要 {needed}，而 {folder} 只有 {free} 可用；请释放一些空间或选择更小的模型。</translation>
    </message>
    <message>
        <source>{licence} (see the model card)</source>
        <translation>{licence}（参见模型卡片）</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>the microphone stopped delivering sound (was it unplugged?): connect it again or choose another in Settings &gt; Voice</source>
        <translation>麦克风没有声音输入了（是否已拔出？）：请重新连接，或在“设置 &gt; 语音”中选择其他麦克风</translation>
    </message>
    <message>
        <source>no microphone could be opened ({problem}): connect one, or check that no other program holds it</source>
        <translation>无法打开任何麦克风（{problem}）：请连接一个麦克风，或检查是否有其他程序正在占用</translation>
    </message>
    <message>
        <source>the microphone {device} is not available ({problem}) and the default one failed too ({problem2}): connect a microphone</source>
        <translation>麦克风 {device} 不可用（{problem}），默认麦克风也无法使用（{problem2}）：请连接一个麦克风</translation>
    </message>
    <message>
        <source>the microphone {device} is not available ({problem}); using the default microphone instead</source>
        <translation>麦克风 {device} 不可用（{problem}），已改用默认麦克风</translation>
    </message>
    <message>
        <source>no speaker could be opened ({problem}): connect one or choose another in Settings &gt; Voice</source>
        <translation>无法打开任何扬声器（{problem}）：请连接一个扬声器，或在“设置 &gt; 语音”中选择其他扬声器</translation>
    </message>
    <message>
        <source>the speaker {device} is not available ({problem}) and the default one failed too ({problem2})</source>
        <translation>扬声器 {device} 不可用（{problem}），默认扬声器也无法使用（{problem2}）</translation>
    </message>
    <message>
        <source>the speaker {device} is not available ({problem}); using the default speaker</source>
        <translation>扬声器 {device} 不可用（{problem}），已改用默认扬声器</translation>
    </message>
    <message>
        <source>the reply could not be played ({problem}): check the speaker</source>
        <translation>无法播放回复（{problem}）：请检查扬声器</translation>
    </message>
    <message>
        <source>the speaker stopped working ({problem}): was it unplugged?</source>
        <translation>扬声器停止工作了（{problem}）：是否已拔出？</translation>
    </message>
</context>
<context>
    <name>settings</name>
    <message>
        <source>Models</source>
        <extracomment>page -&gt; [(group title, settings in that group)], in screen order.</extracomment>
        <translation>模型</translation>
    </message>
    <message>
        <source>Voice</source>
        <translation>语音</translation>
    </message>
    <message>
        <source>Drawing</source>
        <translation>绘图</translation>
    </message>
    <message>
        <source>Knowledge</source>
        <translation>知识</translation>
    </message>
    <message>
        <source>Servers</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Privacy</source>
        <translation>隐私</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <source>Replies (language model)</source>
        <extracomment>The roles that can run on a serving engine, in screen order, with their group titles.</extracomment>
        <translation>回复（语言模型）</translation>
    </message>
    <message>
        <source>Speech recognition</source>
        <translation>语音识别</translation>
    </message>
    <message>
        <source>Speech synthesis</source>
        <translation>语音合成</translation>
    </message>
    <message>
        <source>Text embeddings</source>
        <translation>文本嵌入</translation>
    </message>
    <message>
        <source>Image generation</source>
        <translation>图像生成</translation>
    </message>
    <message>
        <source>Image questions</source>
        <translation>图像问答</translation>
    </message>
    <message>
        <source>Replies</source>
        <translation>回复</translation>
    </message>
    <message>
        <source>Understanding requests</source>
        <translation>理解请求</translation>
    </message>
    <message>
        <source>Hardware</source>
        <translation>硬件</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Listening</source>
        <translation>收听</translation>
    </message>
    <message>
        <source>Pictures</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Your documents</source>
        <translation>你的文档</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>记忆</translation>
    </message>
    <message>
        <source>Learning from your ratings</source>
        <translation>从你的评分中学习</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <source>Downloads</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>Trusted files</source>
        <translation>受信任的文件</translation>
    </message>
    <message>
        <source>Theme and language</source>
        <translation>主题与语言</translation>
    </message>
    <message>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <source>Image understanding</source>
        <translation>图像理解</translation>
    </message>
    <message>
        <source>Language model</source>
        <translation>语言模型</translation>
    </message>
    <message>
        <source>Catalog profile</source>
        <translation>目录配置</translation>
    </message>
    <message>
        <source>Replies come from a server</source>
        <translation>由服务器生成回复</translation>
    </message>
    <message>
        <source>Run on a server</source>
        <translation>在服务器上运行</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <source>Microphone</source>
        <translation>麦克风</translation>
    </message>
    <message>
        <source>Speaker</source>
        <translation>扬声器</translation>
    </message>
    <message>
        <source>Voice activity detection</source>
        <translation>语音活动检测</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>引擎</translation>
    </message>
    <message>
        <source>Run models on</source>
        <translation>模型运行于</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Answers from documents</source>
        <translation>根据文档回答</translation>
    </message>
    <message>
        <source>Passages per answer</source>
        <translation>每次回答的段落数</translation>
    </message>
    <message>
        <source>Least similarity</source>
        <translation>最低相似度</translation>
    </message>
    <message>
        <source>Passage length (characters)</source>
        <translation>段落长度（字符）</translation>
    </message>
    <message>
        <source>Use and offer memories</source>
        <translation>使用并提议记忆</translation>
    </message>
    <message>
        <source>Memories per reply</source>
        <translation>每条回复的记忆数</translation>
    </message>
    <message>
        <source>Answer with the learned adapter</source>
        <translation>用学到的适配器回答</translation>
    </message>
    <message>
        <source>System</source>
        <extracomment>The words a choice combo shows for the stored values that are words (the others, such as "cuda", "float16" or "llama.cpp", are shown as they are); the stored data stays the value.</extracomment>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>Push to talk</source>
        <translation>按键说话</translation>
    </message>
    <message>
        <source>Hands-free</source>
        <translation>免提</translation>
    </message>
    <message>
        <source>Written by the model</source>
        <translation>由模型撰写</translation>
    </message>
    <message>
        <source>Quoted from the documents</source>
        <translation>引用文档原句</translation>
    </message>
</context>
</TS>