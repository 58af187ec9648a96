"""The web app's commands: ``nianbao serve``, ``nianbao user …`` and ``nianbao decide`` (registered
by :mod:`nianbao.cli`). Thin: each calls :func:`nianbao.web.create_app` or :mod:`nianbao.store.review`."""
from __future__ import annotations

import json
import sys

import click

_DB_HELP = "数据库：默认为当前目录下的 SQLite 文件 nianbao.db（或环境变量 NIANBAO_DB）；也可用 postgresql://…"


@click.command("serve")
@click.option("--db", "db_url", help=_DB_HELP)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址。127.0.0.1 且尚无用户时为本机单用户模式；绑定其他地址必须先有管理员。")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", type=int, help="后台解析的并行进程数（默认：最多 4 个）。")
def serve_cmd(db_url, host, port, workers):
    """启动审核网页（中文界面，/api/ 下有对应的 JSON 接口，/api/docs 为接口文档）。"""
    try:
        import uvicorn

        from . import StartupRefused, create_app
    except ImportError as e:
        click.echo(f"nianbao: 缺少网页组件（{e.name}）：请安装 pip install 'nianbao[web]'", err=True)
        sys.exit(2)
    try:
        app = create_app(db_url, host=host, workers=workers)
    except StartupRefused as e:
        click.echo(f"nianbao: {e}", err=True)
        sys.exit(2)
    with app.state.store.use() as review:
        users = review.count_users()
    mode = "本机单用户模式（无需登录）" if app.state.loopback and users == 0 else "需登录"
    click.echo(f"nianbao 审核网页：http://{'[' + host + ']' if ':' in host else host}:{port}/ （{mode}）", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@click.group("user")
def user_cmd():
    """管理网页用户：admin 管理员 / reviewer 审核员 / viewer 只读。"""


def _review(db_url):
    from ..store import Corpus
    from ..store.review import Review
    corpus = Corpus(db_url)
    return corpus, Review(corpus)


@user_cmd.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["admin", "reviewer", "viewer"]), default="reviewer", show_default=True)
@click.option("--db", "db_url", help=_DB_HELP)
@click.password_option("--password", prompt="密码", confirmation_prompt="再次输入密码", help="不给出时提示输入（不回显）。")
def user_add(name, role, db_url, password):
    """新建用户（密码以 argon2 散列保存）。"""
    from ..store.review import ReviewError
    corpus, review = _review(db_url)
    with corpus:
        try:
            review.add_user(name, role, password)
        except ReviewError as e:
            click.echo(f"nianbao: {e.message}", err=True)
            sys.exit(2)
    click.echo(f"已新建用户 {name}（{role}）")


@user_cmd.command("list")
@click.option("--db", "db_url", help=_DB_HELP)
def user_list(db_url):
    """列出用户。"""
    corpus, review = _review(db_url)
    with corpus:
        for u in review.users():
            state = "已停用" if u["disabled"] else ""
            click.echo(f"{u['name']}\t{u['role']}\t{u['created_at'][:19]}\t{state}".rstrip())


@user_cmd.command("passwd")
@click.argument("name")
@click.option("--db", "db_url", help=_DB_HELP)
@click.password_option("--password", prompt="新密码", confirmation_prompt="再次输入新密码")
def user_passwd(name, db_url, password):
    """修改用户密码。"""
    from ..store.review import ReviewError
    corpus, review = _review(db_url)
    with corpus:
        try:
            review.set_password(name, password)
        except ReviewError as e:
            click.echo(f"nianbao: {e.message}", err=True)
            sys.exit(2)
    click.echo(f"已修改 {name} 的密码")


@user_cmd.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(["admin", "reviewer", "viewer"]))
@click.option("--db", "db_url", help=_DB_HELP)
def user_role(name, role, db_url):
    """修改用户角色。"""
    corpus, review = _review(db_url)
    with corpus:
        review.set_role(name, role)
    click.echo(f"{name} 的角色已改为 {role}")


@user_cmd.command("remove")
@click.argument("name")
@click.option("--db", "db_url", help=_DB_HELP)
def user_remove(name, db_url):
    """停用用户（结束其会话、撤销其令牌；其审核记录保留）。"""
    corpus, review = _review(db_url)
    with corpus:
        review.remove_user(name)
    click.echo(f"已停用 {name}")


@click.command("decide")
@click.argument("report")
@click.argument("code")
@click.option("--cell", "cells", multiple=True, help="只决定涉及这些单元格键的问题（须与问题的单元格完全一致）。")
@click.option("--confirm", "decision", flag_value="confirmed", help="确认问题。")
@click.option("--dismiss", "decision", flag_value="dismissed", help="误报/已说明（须填 --comment）。")
@click.option("--comment", default="", help="说明。")
@click.option("--user", "user", required=True, help="决定人（记录在案）。")
@click.option("--db", "db_url", help=_DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="输出 JSON。")
def decide_cmd(report, code, cells, decision, comment, user, db_url, as_json):
    """对一份报告的问题作出决定（与网页共用同一记录）。REPORT：报告编号或文件的 sha256。

    例：nianbao decide 12 S102 --dismiss --comment "该机关当年无主动公开事项" --user li
    """
    from ..store.review import ReviewError
    if not decision:
        raise click.UsageError("请给出 --confirm 或 --dismiss")
    corpus, review = _review(db_url)
    with corpus:
        try:
            rid = int(report) if report.isdigit() else review.report_by_sha(report.lower())
            done = review.decide_by_key(rid, code, list(cells), decision, comment, user)
        except ReviewError as e:
            click.echo(f"nianbao: {e.message}", err=True)
            sys.exit(2)
    if as_json:
        for d in done:
            sys.stdout.write(json.dumps(d, ensure_ascii=False) + "\n")
    else:
        for d in done:
            click.echo(f"{d['code']} {'、'.join(d['keys']) or '（整份报告）'}：{d['label']}")
