"""The terms stepgrad's notebooks use, in English and in the Chinese of the tutorials they teach.

Many classes learn backpropagation from Chinese tutorials and run stepgrad's notebooks in English
(or in Chinese: notebooks 01 and 02 have ``_zh`` versions, and ``lang="zh"`` switches traces, the
stepper, drawings, exercises and the quiz to Chinese). This table maps one vocabulary onto the
other. The Chinese is the tutorials' own, and where stepgrad's Chinese catalog
(``autograd/locale``) uses a term, it uses the same one (a test checks it). The README's glossary
is this table, rendered by :func:`markdown` (a test checks that too).

    >>> term("chain rule").chinese
    '链式法则'
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Term", "Source", "GLOSSARY", "SOURCES", "term", "markdown", "sources_markdown"]


@dataclass(frozen=True)
class Term:
    english: str
    chinese: str
    note: str = ""
    """A symbol, an example, or the other names a tutorial uses."""


GLOSSARY: tuple[Term, ...] = (
    # the algorithm
    Term("backpropagation", "反向传播（BP 算法）", "“误差反向传播”的简称"),
    Term("automatic differentiation", "自动微分", "reverse mode 反向模式, forward mode 前向模式"),
    Term("forward pass", "前向传播", "also 正向传播"),
    Term(
        "backward pass",
        "反向传播",
        "pass #1 反向传播第一遍, pass #2 第二遍 (Prince ch. 7; the article: 第一步、第二步)",
    ),
    Term("chain rule", "链式法则", "also 链式规则"),
    Term("computation graph", "计算图", ""),
    Term("node", "节点", "its parent 父节点; a leaf 叶节点"),
    Term("leaf", "叶节点", "an input 输入, a parameter 参数 or a constant 常数"),
    Term("intermediate (value)", "中间变量", "f_k, h_k in Prince's toy model"),
    Term("gradient", "梯度", "∂ℓ/∂x"),
    Term("partial derivative", "偏导数", "偏微分"),
    Term("local derivative", "局部导数", "∂node/∂parent, on an edge of the graph"),
    Term("upstream gradient", "上游梯度", "∂ℓ/∂node, complete when the node is reached"),
    Term("contribution", "贡献", "local derivative × upstream gradient"),
    Term("running total", "累计", "a parent's gradient so far: += each contribution"),
    Term("path", "路径", "a gradient is the sum over all paths"),
    Term("error term δ", "误差项 δ", "δ = ∂L/∂z, the gradient at a weighted input"),
    Term("closed form", "闭式表达式", "the derivative written out in full"),
    # networks
    Term("neuron", "神经元", ""),
    Term(
        "input layer / hidden layer / output layer",
        "输入层 / 隐藏层 / 输出层",
        "隐藏层 also 隐含层",
    ),
    Term("weight", "权重", "w, ω; also 权重参数, 权重系数"),
    Term("bias", "偏置", "b, β; also 偏置项"),
    Term(
        "weighted input (pre-activation)",
        "加权输入",
        "z (加权输入项), net (加权和): the sum before the activation",
    ),
    Term("activation function", "激活函数", "sigmoid, tanh, ReLU"),
    Term("activation (output of a neuron)", "激活值（输出）", "a, h, out"),
    Term("loss function", "损失函数", "L, ℓ; Nielsen's cost C: 成本函数"),
    Term("squared error", "平方误差", "½(target − out)²; mean squared error 均方误差 (MSE)"),
    Term("target", "目标值", "实际值, 教师值 (the label)"),
    Term("prediction", "预测值", ""),
    Term("learning rate", "学习率", "η"),
    Term("gradient descent", "梯度下降", "w ← w − η·∂L/∂w: 更新参数"),
    Term("mini-batch", "小批量", ""),
    # vanishing, exploding, initialisation
    Term("vanishing gradient", "梯度消失", "Gradient Vanishing"),
    Term("exploding gradient", "梯度爆炸", "Gradient Exploding"),
    Term("gradient clipping", "梯度裁剪", "also 梯度削减; by the L2 norm of all gradients"),
    Term("L2 norm", "L2 范数", "√(Σ g²): with the square root"),
    Term(
        "L2 penalty (weight decay)",
        "L2 惩罚项（权重衰减）",
        "λ·Σ w²: no square root; 岭回归 (ridge)",
    ),
    Term("parameter initialisation", "参数初始化", "Xavier 初始化, He 初始化"),
    # checking and other modes
    Term("central difference", "中心差分", "(f(x+ε) − f(x−ε)) / 2ε"),
    Term("gradient check", "梯度检验", "gradcheck"),
    Term("higher-order derivative", "高阶导数", "grad of grad"),
    Term("forward mode", "前向模式", "jvp: Jacobian-vector product 雅可比-向量积"),
    Term("reverse mode", "反向模式", "vjp: vector-Jacobian product 向量-雅可比积"),
    Term("Jacobian", "雅可比矩阵", "J"),
    Term("dual number", "对偶数", "a + b·ε with ε² = 0"),
    Term("tangent", "切向量", "the derivative a dual number carries"),
    Term("seed (gradient)", "种子（梯度）", "the v of y.backward(v)"),
)
"""Every term of the notebooks, English first, in the order a course meets them."""


@dataclass(frozen=True)
class Source:
    """A Chinese article the notebooks follow: its title, where it was published (as much as the
    sources say: site, author, address), and what it teaches."""

    title: str
    where: str
    what: str


SOURCES: tuple[Source, ...] = (
    Source(
        "《反向传播算法详解：从链式法则到梯度计算》",
        "by 小白创作中心 on 问小白 (wenxiaobai), after a CSDN post, "
        "<https://m.blog.csdn.net/2301_80094824/article/details/142578878>",
        "the chain rule, then the forward and backward pass in the notation δ_j^t, h^t, w_ji^t; "
        "δ_n = h_n − y (notebook 03)",
    ),
    Source(
        "「BP算法推导」",
        "on 淘先锋技术网, author and address unknown",
        "Nielsen's four equations (公式1–4) derived, and his backprop code annotated line by "
        "line (notebook 03)",
    ),
    Source(
        "「反向传播算法（BackPropagation）」",
        "as bp.md on a dataset and code hosting site, author and address unknown",
        "the chain rule, 梯度消失 and 梯度爆炸, clipping by the L2 norm and how it differs from "
        "the L2 penalty, PyTorch's autograd demos (notebooks 05, 07)",
    ),
    Source(
        "《梯度、反向传播与参数初始化详解》",
        "as a paid column article on 2025-08-31, marked AIGC (AI-generated); author and address "
        "unknown",
        "Prince's chapter 7: the toy model, the two backward passes (反向传播第一步、第二步), "
        "initialisation (notebooks 01, 05)",
    ),
    Source(
        "《一文读懂反向传播》",
        "as a blog post with its own references, author and address unknown",
        "Mazur's 2-2-2 example with the same numbers (notebook 02)",
    ),
)
"""The Chinese articles the notebooks follow, by title, where from, and what each teaches."""


def term(english: str) -> Term:
    """The glossary entry for an English term; KeyError naming the terms if there is none."""
    for entry in GLOSSARY:
        if entry.english == english:
            return entry
    raise KeyError(
        f"no glossary entry {english!r}; the entries are {[t.english for t in GLOSSARY]}"
    )


def markdown() -> str:
    """The glossary as a Markdown table (the README's is this, character for character)."""
    lines = ["| English | 中文 | notes |", "|---|---|---|"]
    lines += [f"| {t.english} | {t.chinese} | {t.note} |" for t in GLOSSARY]
    return "\n".join(lines) + "\n"


def sources_markdown() -> str:
    """The Chinese articles as a Markdown list (the README's is this, character for character)."""
    return "".join(f"- {s.title}: {s.what}. Published {s.where}.\n" for s in SOURCES)
